package httpapi_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/switchboard-cc/switchboard/internal/app/apptest"
)

func TestDemoShopEmbedsTheDemoWebsitesWidget(t *testing.T) {
	site := apptest.Start(t, apptest.Options{Env: map[string]string{"SWITCHBOARD_DEMO": "true"}})
	sites, err := site.App.DB.Websites(t.Context())
	if err != nil || len(sites) != 1 {
		t.Fatalf("demo websites %v, %v", sites, err)
	}
	res, err := http.Get(site.Server.URL + "/demo/shop")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	want := `<script src="` + site.App.Config.BaseURL + `/widget.js" data-switchboard-key="` + sites[0].WidgetKey + `" async></script>`
	if res.StatusCode != 200 || !strings.Contains(string(body), want) {
		t.Fatalf("demo shop %d lacks the snippet %s:\n%s", res.StatusCode, want, body)
	}
	// The widget is allowed on the server's own pages.
	found := false
	for _, o := range sites[0].AllowedOrigins {
		found = found || strings.HasPrefix(site.App.Config.BaseURL, o)
	}
	if !found {
		t.Fatalf("allowed origins %v lack the site's own %s", sites[0].AllowedOrigins, site.App.Config.BaseURL)
	}
}

func TestNoDemoShopWithoutTheDemo(t *testing.T) {
	site := apptest.Start(t, apptest.Options{})
	res, err := http.Get(site.Server.URL + "/demo/shop")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if strings.Contains(string(body), "data-switchboard-key") {
		t.Fatal("the demo shop is served on a site without the demo")
	}
}
