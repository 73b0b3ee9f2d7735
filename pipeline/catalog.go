package pipeline

import (
	"fmt"
	"slices"
	"sort"
)

// Catalog is the set of actions a pipeline file may use: the vendors'
// actions it was built with, and the engine's own (approval). Parsing and
// validation go through a catalog, so a vendor is added by building a
// catalog with its actions, not by editing this package.
type Catalog struct {
	actions map[string]Action
	vendors []string
}

// NewCatalog is a catalog of actions (and approval). Two actions of one name
// are an error.
func NewCatalog(actions ...Action) (*Catalog, error) {
	c := &Catalog{actions: map[string]Action{ActionApproval: approval}}
	for _, a := range actions {
		if _, dup := c.actions[a.Name]; dup {
			return nil, fmt.Errorf("catalog: action %s declared twice", a.Name)
		}
		if a.Vendor == "" || a.Vendor == approval.Vendor {
			return nil, fmt.Errorf("catalog: action %s names no vendor of its own", a.Name)
		}
		c.actions[a.Name] = a
		if !slices.Contains(c.vendors, a.Vendor) {
			c.vendors = append(c.vendors, a.Vendor)
		}
	}
	slices.Sort(c.vendors)
	return c, nil
}

// Lookup returns the action a step's `uses` names.
func (c *Catalog) Lookup(name string) (Action, bool) {
	a, ok := c.actions[name]
	return a, ok
}

// Actions lists every action, sorted by name.
func (c *Catalog) Actions() []Action {
	out := make([]Action, 0, len(c.actions))
	for _, a := range c.actions {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Vendors are the vendor names concurrency caps take, sorted.
func (c *Catalog) Vendors() []string { return slices.Clone(c.vendors) }

// actionNames is the sorted list of action names, for messages.
func (c *Catalog) actionNames() []string {
	var names []string
	for _, a := range c.Actions() {
		names = append(names, a.Name)
	}
	return names
}
