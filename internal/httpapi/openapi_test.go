package httpapi

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/switchboard-cc/switchboard/docs"
)

// openAPIDoc is the part of docs/openapi.yaml the route check reads.
type openAPIDoc struct {
	OpenAPI string `yaml:"openapi"`
	Servers []struct {
		URL string `yaml:"url"`
	} `yaml:"servers"`
	Paths map[string]map[string]yaml.Node `yaml:"paths"`
}

// openAPIMethods are the keys of a path item that are operations; the others
// (parameters, summary, description, servers) are not.
var openAPIMethods = map[string]bool{
	"get": true, "put": true, "post": true, "delete": true,
	"options": true, "head": true, "patch": true, "trace": true,
}

const apiPrefix = "/api/v1"

// TestOpenAPIDocumentsEveryRoute holds the OpenAPI document and the route
// table to each other: every route is documented, every documented operation
// is a route, and each operation's x-access names the rule the server enforces.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	if len(docs.OpenAPI) == 0 {
		t.Fatal("docs/openapi.yaml is empty")
	}
	var doc openAPIDoc
	if err := yaml.Unmarshal(docs.OpenAPI, &doc); err != nil {
		t.Fatalf("docs/openapi.yaml does not parse: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1") {
		t.Errorf("docs/openapi.yaml: openapi is %q, want 3.1.x", doc.OpenAPI)
	}
	if len(doc.Servers) != 1 || doc.Servers[0].URL != apiPrefix {
		t.Errorf("docs/openapi.yaml: servers must be the single url %s, got %+v", apiPrefix, doc.Servers)
	}

	// documented: "METHOD /path" → x-access ("" when missing).
	documented := map[string]string{}
	for path, item := range doc.Paths {
		for key, op := range item {
			if !openAPIMethods[key] {
				continue
			}
			var ext struct {
				Access string `yaml:"x-access"`
			}
			if err := op.Decode(&ext); err != nil {
				t.Errorf("docs/openapi.yaml: %s %s: %v", strings.ToUpper(key), path, err)
			}
			documented[strings.ToUpper(key)+" "+path] = ext.Access
		}
	}

	routes := map[string]string{}
	for _, rt := range (&Server{}).table() {
		path, ok := strings.CutPrefix(rt.path, apiPrefix)
		if !ok {
			t.Errorf("route %s %s is not under %s", rt.method, rt.path, apiPrefix)
			continue
		}
		routes[rt.method+" "+path] = rt.access.Name
	}

	var missing, extra, wrongAccess []string
	for op, access := range routes {
		got, ok := documented[op]
		switch {
		case !ok:
			missing = append(missing, fmt.Sprintf("%s  [%s]", op, access))
		case got != access:
			wrongAccess = append(wrongAccess, fmt.Sprintf("%s: x-access is %q, the route table says %q", op, got, access))
		}
	}
	for op := range documented {
		if _, ok := routes[op]; !ok {
			extra = append(extra, op)
		}
	}
	report := func(list []string, what string) {
		if len(list) == 0 {
			return
		}
		sort.Strings(list)
		t.Errorf("%s (%d):\n  %s", what, len(list), strings.Join(list, "\n  "))
	}
	report(missing, "routes of internal/httpapi/routes.go missing from docs/openapi.yaml (paths are relative to "+apiPrefix+")")
	report(extra, "operations in docs/openapi.yaml that are not routes in internal/httpapi/routes.go")
	report(wrongAccess, "operations whose x-access differs from the route's access rule")
}
