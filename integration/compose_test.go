package integration

import (
	"go/ast"
	"go/parser"
	"go/token"
	"net"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/internal/taskqueue"
	"github.com/imagepipe/imagepipe/workflows"
)

// compose is the part of docker-compose.yml the checks read.
type compose struct {
	Services map[string]struct {
		Image       string            `yaml:"image"`
		Build       any               `yaml:"build"`
		Entrypoint  []string          `yaml:"entrypoint"`
		Command     any               `yaml:"command"`
		Environment map[string]string `yaml:"environment"`
		DependsOn   any               `yaml:"depends_on"`
		Volumes     []string          `yaml:"volumes"`
		Expose      []string          `yaml:"expose"`
		Healthcheck struct {
			Test []string `yaml:"test"`
		} `yaml:"healthcheck"`
	} `yaml:"services"`
	Volumes map[string]any `yaml:"volumes"`
}

func readCompose(t *testing.T) compose {
	t.Helper()
	b, err := os.ReadFile("../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var c compose
	if err := yaml.Unmarshal(b, &c); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	return c
}

// envNames lists the environment variables the binaries' config structs
// read (one file a binary, its struct named config): env tags, with the
// envPrefix of the field that holds them.
func envNames(t *testing.T, files ...string) map[string]bool {
	t.Helper()
	names := map[string]bool{}
	for _, f := range files {
		for k := range envNamesOf(t, f) {
			names[k] = true
		}
	}
	return names
}

func envNamesOf(t *testing.T, path string) map[string]bool {
	t.Helper()
	file, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	structs := map[string]*ast.StructType{}
	ast.Inspect(file, func(n ast.Node) bool {
		if ts, ok := n.(*ast.TypeSpec); ok {
			if st, ok := ts.Type.(*ast.StructType); ok {
				structs[ts.Name.Name] = st
			}
		}
		return true
	})
	names := map[string]bool{}
	var walk func(st *ast.StructType, prefix string)
	walk = func(st *ast.StructType, prefix string) {
		for _, f := range st.Fields.List {
			if f.Tag == nil {
				continue
			}
			tag, _ := strconv.Unquote(f.Tag.Value)
			st := reflect.StructTag(tag)
			if p, ok := st.Lookup("envPrefix"); ok {
				if id, ok := f.Type.(*ast.Ident); ok && structs[id.Name] != nil {
					walk(structs[id.Name], prefix+p)
				}
				continue
			}
			if e, ok := st.Lookup("env"); ok {
				names[prefix+strings.Split(e, ",")[0]] = true
			}
		}
	}
	walk(structs["config"], "")
	return names
}

func TestCompose_EveryServiceIsWiredToOneThatExists(t *testing.T) {
	c := readCompose(t)
	for _, want := range []string{"postgresql", "temporal-schema", "temporal", "temporal-setup", "temporal-ui", "emulator", "worker", "starter"} {
		if _, ok := c.Services[want]; !ok {
			t.Errorf("no service %q", want)
		}
	}
	for name, s := range c.Services {
		var deps []string
		switch d := s.DependsOn.(type) {
		case []any:
			for _, x := range d {
				deps = append(deps, x.(string))
			}
		case map[string]any:
			for k := range d {
				deps = append(deps, k)
			}
		}
		for _, d := range deps {
			if _, ok := c.Services[d]; !ok {
				t.Errorf("service %s depends on %s, which is not defined", name, d)
			}
		}
		for _, v := range s.Volumes {
			vol := strings.Split(v, ":")[0]
			if !strings.HasPrefix(vol, ".") && !strings.HasPrefix(vol, "/") {
				if _, ok := c.Volumes[vol]; !ok {
					t.Errorf("service %s mounts volume %s, which is not declared", name, vol)
				}
			}
		}
	}
}

func TestCompose_EveryImagepipeSettingIsOneTheBinariesRead(t *testing.T) {
	c := readCompose(t)
	known := envNames(t, "../worker/config.go", "../emulator/main.go")
	known[taskqueue.Variable] = true // the worker and the starter read it there
	for _, v := range workflows.Default().Vendors() {
		if v.Settings != nil { // each vendor's worker settings, read under its prefix
			for _, name := range activities.VarsOf(v.Name, v.Settings()).Of {
				known[name] = true
			}
		}
		if v.Emulator != nil { // where the emulator binary serves it
			known[v.Emulator().AddrVariable()] = true
		}
	}
	if !known["IMAGEPIPE_OCI_CONFIG_FILE"] || !known["IMAGEPIPE_EMULATOR_HOST"] {
		t.Fatalf("config scan found %d names, not the worker's and emulator's: %v", len(known), known)
	}
	for name, s := range c.Services {
		for k := range s.Environment {
			if strings.HasPrefix(k, "IMAGEPIPE_") && k != "IMAGEPIPE_UI_URL" && !known[k] {
				t.Errorf("service %s sets %s, which no imagepipe binary reads (a typo goes unnoticed at run time)", name, k)
			}
		}
	}
}

func TestCompose_BinariesAndSearchAttributesMatchTheCode(t *testing.T) {
	c := readCompose(t)
	dockerfile, err := os.ReadFile("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	for _, svc := range []string{"emulator", "worker", "starter"} {
		ep := strings.Join(c.Services[svc].Entrypoint, " ")
		bin := regexp.MustCompile(`/usr/local/bin/(\w+)`).FindStringSubmatch(ep)
		if bin == nil || !strings.Contains(string(dockerfile), "./"+bin[1]) {
			t.Errorf("service %s runs %q, which the Dockerfile does not build", svc, ep)
		}
	}
	gomod, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	goVersion := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(gomod)
	if goVersion == nil || !strings.Contains(string(dockerfile), "FROM golang:"+string(goVersion[1])) {
		t.Errorf("the Dockerfile's Go image is not go.mod's Go %s", goVersion[1])
	}
	setup, _ := c.Services["temporal-setup"].Command.([]any)
	script := ""
	for _, s := range setup {
		script += s.(string)
	}
	for _, sa := range []string{workflows.PipelineNameAttribute.GetName(), workflows.PipelineStatusAttribute.GetName()} {
		if !slices.Contains(strings.Fields(script), sa) {
			t.Errorf("temporal-setup does not register the search attribute %s the workflows set", sa)
		}
	}
}

// The worker's health check asks /readyz on the port the worker serves it
// on, that port is open to the network for a Prometheus to scrape, and the
// starter waits for a ready worker rather than a started container.
func TestCompose_WorkerHealthCheckAndMetricsPortMatchItsListener(t *testing.T) {
	c := readCompose(t)
	w := c.Services["worker"]
	addr := w.Environment["IMAGEPIPE_METRICS_ADDR"]
	_, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" || port == "0" {
		t.Fatalf("worker IMAGEPIPE_METRICS_ADDR=%q: want host:port with a fixed port", addr)
	}
	probe := strings.Join(w.Healthcheck.Test, " ")
	if !strings.Contains(probe, "127.0.0.1:"+port+"/readyz") {
		t.Errorf("worker healthcheck %q does not ask /readyz on port %s", probe, port)
	}
	if !slices.Contains(w.Expose, port) {
		t.Errorf("worker exposes %v, not its metrics port %s", w.Expose, port)
	}
	deps, _ := c.Services["starter"].DependsOn.(map[string]any)
	cond, _ := deps["worker"].(map[string]any)
	if cond["condition"] != "service_healthy" {
		t.Errorf("starter depends on worker %v, want condition service_healthy", deps["worker"])
	}
}
