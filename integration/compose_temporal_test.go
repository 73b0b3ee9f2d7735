package integration

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The variables the images read, as recorded from go.temporal.io/server
// v1.29.1 (docker/config_template.yaml for temporalio/server, tools/sql/
// main.go for temporal-sql-tool). When that module is in the module cache
// the tests read the files themselves instead.
var (
	serverTemplateVars = []string{"BIND_ON_IP", "DB", "DBNAME", "DB_PORT", "DYNAMIC_CONFIG_FILE_PATH", "LOG_LEVEL",
		"NUM_HISTORY_SHARDS", "POSTGRES_PWD", "POSTGRES_SEEDS", "POSTGRES_USER", "VISIBILITY_DBNAME"}
	sqlToolVars = []string{"SQL_HOST", "SQL_PORT", "SQL_USER", "SQL_PASSWORD", "SQL_DATABASE", "SQL_PLUGIN"}
)

// dependency is how service depends on dep: its condition, or "" when it
// does not.
func dependency(c compose, service, dep string) string {
	switch d := c.Services[service].DependsOn.(type) {
	case map[string]any:
		if v, ok := d[dep]; ok {
			cond, _ := v.(map[string]any)["condition"].(string)
			return cond
		}
	case []any:
		if slices.Contains(d, any(dep)) {
			return "service_started"
		}
	}
	return ""
}

// The schema exists before the server starts, the namespace and search
// attributes once it serves, and the workers start after both.
func TestCompose_TemporalStartsOnItsSchemaAndWorkersOnItsSetup(t *testing.T) {
	c := readCompose(t)
	for _, want := range []struct{ service, dep, cond string }{
		{"temporal-schema", "postgresql", "service_healthy"},
		{"temporal", "temporal-schema", "service_completed_successfully"},
		{"temporal-setup", "temporal", "service_healthy"},
		{"temporal-ui", "temporal", "service_healthy"},
		{"worker", "temporal-setup", "service_completed_successfully"},
	} {
		if got := dependency(c, want.service, want.dep); got != want.cond {
			t.Errorf("%s depends on %s with %q, want %s", want.service, want.dep, got, want.cond)
		}
	}
	for name, s := range c.Services {
		if strings.HasPrefix(s.Image, "temporalio/auto-setup") {
			t.Errorf("service %s runs %s, which Temporal no longer builds", name, s.Image)
		}
	}
	if len(c.Services["temporal"].Healthcheck.Test) == 0 {
		t.Error("temporal has no health check, so service_healthy never holds")
	}
	setup := script(c, "temporal-setup")
	if !strings.Contains(setup, "namespace create --namespace "+c.Services["worker"].Environment["TEMPORAL_NAMESPACE"]) {
		t.Errorf("temporal-setup does not create the workers' namespace %q:\n%s", c.Services["worker"].Environment["TEMPORAL_NAMESPACE"], setup)
	}
}

// The server reads only variables its config template knows (a misspelt
// one is silently ignored), reaches the database service, and uses the
// databases the schema job made.
func TestCompose_TemporalSettingsAreOnesItsImagesRead(t *testing.T) {
	c := readCompose(t)
	srv := c.Services["temporal"]
	known := serverTemplateVars
	if dir := serverModule(t); dir != "" {
		b, err := os.ReadFile(filepath.Join(dir, "docker", "config_template.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		known = nil
		for _, m := range regexp.MustCompile(`\.Env\.([A-Z0-9_]+)`).FindAllStringSubmatch(string(b), -1) {
			known = append(known, m[1])
		}
	}
	for k := range srv.Environment {
		if !slices.Contains(known, k) {
			t.Errorf("temporal sets %s, which the server's config template does not read", k)
		}
	}
	if srv.Environment["DB"] != "postgres12" || c.Services[srv.Environment["POSTGRES_SEEDS"]].Image == "" {
		t.Errorf("temporal DB=%q POSTGRES_SEEDS=%q: want postgres12 on the postgresql service", srv.Environment["DB"], srv.Environment["POSTGRES_SEEDS"])
	}
	schema := script(c, "temporal-schema")
	for _, db := range []string{srv.Environment["DBNAME"], srv.Environment["VISIBILITY_DBNAME"]} {
		for _, step := range []string{"create", "setup-schema", "update-schema"} {
			if !strings.Contains(schema, "--db "+db+" "+step) {
				t.Errorf("temporal-schema does not %s database %q the server uses", step, db)
			}
		}
	}
	job := c.Services["temporal-schema"]
	for k := range job.Environment {
		if !slices.Contains(sqlToolVars, k) {
			t.Errorf("temporal-schema sets %s, which temporal-sql-tool does not read", k)
		}
	}
	if job.Environment["SQL_HOST"] != srv.Environment["POSTGRES_SEEDS"] || job.Environment["SQL_PASSWORD"] != srv.Environment["POSTGRES_PWD"] {
		t.Errorf("temporal-schema reaches %s, the server %s", job.Environment["SQL_HOST"], srv.Environment["POSTGRES_SEEDS"])
	}
}

// Every Temporal image is pinned to the server and UI the tests run on
// (the dev server of the Makefile's CLI), and the schema job migrates to
// that server's schema versions.
func TestCompose_TemporalImagesMatchTheServerTheTestsRunOn(t *testing.T) {
	c := readCompose(t)
	tag := func(service string) string {
		img := c.Services[service].Image
		_, v, ok := strings.Cut(img, ":")
		if !ok || v == "latest" {
			t.Errorf("%s image %q is not pinned", service, img)
		}
		return v
	}
	server := tag("temporal")
	for _, job := range []string{"temporal-schema", "temporal-setup"} {
		if v := tag(job); v != server && !strings.HasPrefix(v, server+"-") {
			t.Errorf("%s runs admin-tools %s, not the server's %s", job, v, server)
		}
	}
	ui := tag("temporal-ui")
	cliServer, cliUI := cliVersions(t)
	if cliServer == "" {
		t.Logf("the Makefile's Temporal CLI is not in the module cache; checked the tags agree, not the CLI's versions")
	} else {
		if "v"+server != cliServer {
			t.Errorf("compose runs server %s, the tests' CLI embeds %s", server, cliServer)
		}
		if "v"+ui != cliUI {
			t.Errorf("compose runs UI %s, the tests' CLI embeds %s", ui, cliUI)
		}
	}
	dir := serverModule(t)
	if dir == "" {
		return
	}
	schema := script(c, "temporal-schema")
	for _, store := range []string{"temporal", "visibility"} {
		want := latestSchema(t, filepath.Join(dir, "schema", "postgresql", "v12", store, "versioned"))
		if !regexp.MustCompile(store + `/versioned --version ` + regexp.QuoteMeta(want) + `\b`).MatchString(schema) {
			t.Errorf("temporal-schema does not migrate %s to %s, server %s's version:\n%s", store, want, server, schema)
		}
	}
}

// script is a service's sh -c command.
func script(c compose, service string) string {
	cmd, _ := c.Services[service].Command.([]any)
	var b strings.Builder
	for _, s := range cmd {
		b.WriteString(s.(string))
	}
	return b.String()
}

// cliVersions reads the server and UI versions the Makefile's Temporal CLI
// requires from its go.mod in the module cache, or "" when it is absent.
func cliVersions(t *testing.T) (server, ui string) {
	t.Helper()
	mk, err := os.ReadFile("../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^TEMPORAL_VERSION := (\S+)`).FindSubmatch(mk)
	if m == nil {
		t.Fatal("Makefile has no TEMPORAL_VERSION")
	}
	mod, err := os.ReadFile(filepath.Join(modCache(t), "cache", "download", "github.com", "temporalio", "cli", "@v", string(m[1])+".mod"))
	if err != nil {
		return "", ""
	}
	find := func(path string) string {
		if m := regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(path) + `\s+(\S+)`).FindSubmatch(mod); m != nil {
			return string(m[1])
		}
		return ""
	}
	return find("go.temporal.io/server"), find("github.com/temporalio/ui-server/v2")
}

// serverModule is the CLI's server module's directory in the module cache,
// or "" when it is absent.
func serverModule(t *testing.T) string {
	t.Helper()
	v, _ := cliVersions(t)
	if v == "" {
		return ""
	}
	dir := filepath.Join(modCache(t), "go.temporal.io", "server@"+v)
	if _, err := os.Stat(filepath.Join(dir, "docker", "config_template.yaml")); err != nil {
		return ""
	}
	return dir
}

func modCache(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Fatalf("go env GOMODCACHE: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// latestSchema is the highest vX.Y directory in dir, without its v.
func latestSchema(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	type ver struct{ major, minor int }
	var vs []ver
	for _, e := range entries {
		var v ver
		if n, _ := fmt.Sscanf(e.Name(), "v%d.%d", &v.major, &v.minor); n == 2 {
			vs = append(vs, v)
		}
	}
	if len(vs) == 0 {
		t.Fatalf("no schema versions in %s", dir)
	}
	sort.Slice(vs, func(i, j int) bool {
		return vs[i].major < vs[j].major || (vs[i].major == vs[j].major && vs[i].minor < vs[j].minor)
	})
	last := vs[len(vs)-1]
	return strconv.Itoa(last.major) + "." + strconv.Itoa(last.minor)
}
