package httpapi

import (
	"bytes"
	"html/template"
	"net/http"

	"github.com/switchboard-cc/switchboard/internal/bootstrap"
	"github.com/switchboard-cc/switchboard/web"
)

var demoShopPage = template.Must(template.New("demo-shop").Parse(web.DemoShopPage))

// demoShop serves, on a demo site, a small shop page that embeds the demo
// website's chat widget, so someone trying Switchboard can be the customer.
func (s *Server) demoShop(w http.ResponseWriter, r *http.Request) {
	sites, err := s.db.Websites(r.Context())
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	for _, site := range sites {
		if site.Name != bootstrap.DemoWebsite {
			continue
		}
		var page bytes.Buffer
		snippet := template.HTML(snippetHTML(s.cfg.BaseURL, site.WidgetKey)) // built from escaped parts
		if err := demoShopPage.Execute(&page, map[string]any{"Snippet": snippet}); err != nil {
			writeError(w, r, s.log, err)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(page.Bytes())
		return
	}
	http.Error(w, "The demo website has been deleted.", http.StatusNotFound)
}
