package pipeline

// Spec is a parsed pipeline file.
type Spec struct {
	// Name identifies the pipeline in workflow IDs, search attributes and the
	// web UI: lower case letters, digits and dashes.
	Name string `json:"name" yaml:"name"`
	// Description is shown as the workflow's summary in the web UI.
	Description string `json:"description,omitempty" yaml:"description,omitempty"`
	// Steps run as a DAG ordered by Needs; steps with no path between them
	// run in parallel.
	Steps []Step `json:"steps" yaml:"steps"`
	// File is where the spec was read from, for messages; not part of the YAML.
	File string `json:"file,omitempty" yaml:"-"`
}

// Step is one action of a pipeline.
type Step struct {
	// ID names the step in references, progress and errors.
	ID string `json:"id" yaml:"id"`
	// Uses names the action, e.g. "oci.move_image"; see Actions.
	Uses string `json:"uses" yaml:"uses"`
	// With holds the action's inputs. Values are strings, lists of strings
	// or maps of strings, and may contain ${{ steps.<id>.outputs.<field> }}.
	With map[string]any `json:"with,omitempty" yaml:"with,omitempty"`
	// Needs lists the steps that must succeed before this one starts.
	// References to a step's outputs add it to Needs implicitly.
	Needs []string `json:"needs,omitempty" yaml:"needs,omitempty"`
	// Line is the step's line in File, for messages; not part of the YAML.
	Line int `json:"line,omitempty" yaml:"-"`
}

// Step returns the step with the given id.
func (s *Spec) Step(id string) (Step, bool) {
	for _, st := range s.Steps {
		if st.ID == id {
			return st, true
		}
	}
	return Step{}, false
}
