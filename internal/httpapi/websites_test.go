package httpapi_test

import (
	"context"
	"strings"
	"testing"

	"github.com/switchboard-cc/switchboard/internal/app/apptest"
	"github.com/switchboard-cc/switchboard/internal/apperr"
)

func TestWebsitesAreCreatedWithDefaults(t *testing.T) {
	bothDialects(t, func(t *testing.T, site *apptest.Site) {
		admin := site.Admin(t)
		w := admin.Do("POST", "/api/v1/websites", map[string]any{"name": " Shop ", "widget_key": "mine", "channel": "sms"}).
			Expect(t, 201).Map(t)
		key, _ := w["widget_key"].(string)
		if w["name"] != "Shop" || w["channel"] != "chat" || w["enabled"] != true || w["queue_id"] != nil ||
			w["default_list_id"] != nil || w["mandatory_disposition"] != false || len(key) < 22 || key == "mine" ||
			strings.ContainsAny(key, "+/=") {
			t.Fatalf("website %v", w)
		}
		if w["title"] != "Chat with us" || w["colour"] != "#2563eb" || w["attachments_enabled"] != true ||
			w["max_attachment_mb"] != float64(10) || !strings.HasPrefix(w["offline_message"].(string), "We are offline.") {
			t.Fatalf("website look %v", w)
		}
		if o := w["allowed_origins"].([]any); len(o) != 0 {
			t.Fatalf("origins %v", o)
		}
		formNames := func(form any) string {
			var names []string
			for _, f := range form.([]any) {
				m := f.(map[string]any)
				names = append(names, m["name"].(string)+":"+m["type"].(string))
				if m["required"] != true {
					t.Fatalf("default field %v not required", m)
				}
			}
			return strings.Join(names, ",")
		}
		if got := formNames(w["online_form"]); got != "name:text,email:email" {
			t.Fatalf("online form %s", got)
		}
		if got := formNames(w["offline_form"]); got != "name:text,email:email,message:textarea" {
			t.Fatalf("offline form %s", got)
		}
		if got := admin.Do("GET", "/api/v1/websites/"+idOf(w), nil).Expect(t, 200).Map(t); got["widget_key"] != key {
			t.Fatalf("read back %v", got)
		}
		other := admin.Do("POST", "/api/v1/websites", map[string]any{"name": "Blog"}).Expect(t, 201).Map(t)
		if other["widget_key"] == key {
			t.Fatal("two websites share a widget key")
		}
		if list := items(t, admin.Do("GET", "/api/v1/websites", nil)); len(list) != 2 || list[0]["name"] != "Blog" {
			t.Fatalf("websites %v", list)
		}
		accounts := items(t, admin.Do("GET", "/api/v1/accounts", nil))
		if len(accounts) != 2 || accounts[1]["name"] != "Shop" || accounts[1]["channel"] != "chat" || accounts[1]["enabled"] != true ||
			len(accounts[1]) != 4 {
			t.Fatalf("accounts %v", accounts)
		}
		if got := items(t, admin.Do("GET", "/api/v1/accounts?channel=chat", nil)); len(got) != 2 {
			t.Fatalf("chat accounts %v", got)
		}
		if got := items(t, admin.Do("GET", "/api/v1/accounts?channel=email", nil)); len(got) != 0 {
			t.Fatalf("email accounts %v", got)
		}
		admin.Do("GET", "/api/v1/accounts?channel=voice", nil).Expect(t, 400)
	})
}

func TestWebsiteValidationNamesEveryField(t *testing.T) {
	bothDialects(t, func(t *testing.T, site *apptest.Site) {
		admin := site.Admin(t)
		chatQ := admin.Do("POST", "/api/v1/queues", map[string]any{"name": "Chat", "channel": "chat"}).Expect(t, 201).Map(t)
		mailQ := admin.Do("POST", "/api/v1/queues", map[string]any{"name": "Mail", "channel": "email"}).Expect(t, 201).Map(t)
		list := admin.Do("POST", "/api/v1/lists", map[string]any{"name": "Visitors"}).Expect(t, 201).Map(t)
		w := admin.Do("POST", "/api/v1/websites", map[string]any{"name": "Shop", "queue_id": chatQ["id"], "default_list_id": list["id"],
			"colour": "#FFAA00", "title": "Talk to us", "mandatory_disposition": true, "max_attachment_mb": 25,
			"allowed_origins": []string{"HTTPS://Shop.Example.com/", "http://localhost:8080", "https://shop.example.com"},
			"online_form":     []map[string]any{{"name": "topic", "label": "Topic", "type": "select", "options": []string{"Sales", "Support"}}},
		}).Expect(t, 201).Map(t)
		if w["queue_id"] != chatQ["id"] || w["default_list_id"] != list["id"] || w["colour"] != "#ffaa00" ||
			w["mandatory_disposition"] != true || w["max_attachment_mb"] != float64(25) {
			t.Fatalf("website %v", w)
		}
		if o := w["allowed_origins"].([]any); len(o) != 2 || o[0] != "https://shop.example.com" || o[1] != "http://localhost:8080" {
			t.Fatalf("origins %v", o)
		}
		if f := w["online_form"].([]any); len(f) != 1 || len(f[0].(map[string]any)["options"].([]any)) != 2 {
			t.Fatalf("online form %v", f)
		}

		tooMany := make([]string, 51)
		for i := range tooMany {
			tooMany[i] = "https://x" + strings.Repeat("y", i) + ".example.com"
		}
		longForm := make([]map[string]any, 21)
		for i := range longForm {
			longForm[i] = map[string]any{"name": "f" + strings.Repeat("x", i), "label": "F", "type": "text"}
		}
		cases := []struct {
			body   map[string]any
			status int
			field  string
		}{
			{map[string]any{"name": ""}, 400, "name"},
			{map[string]any{"name": strings.Repeat("n", 101)}, 400, "name"},
			{map[string]any{"name": "shop"}, 409, "name"},
			{map[string]any{"name": "X", "allowed_origins": []string{"https://ok.example.com", "https://shop.example.com/chat"}}, 400, "allowed_origins.1"},
			{map[string]any{"name": "X", "allowed_origins": []string{"ftp://shop.example.com"}}, 400, "allowed_origins.0"},
			{map[string]any{"name": "X", "allowed_origins": []string{"shop.example.com"}}, 400, "allowed_origins.0"},
			{map[string]any{"name": "X", "allowed_origins": []string{"https://shop.example.com?x=1"}}, 400, "allowed_origins.0"},
			{map[string]any{"name": "X", "allowed_origins": tooMany}, 400, "allowed_origins"},
			{map[string]any{"name": "X", "queue_id": mailQ["id"]}, 400, "queue_id"},
			{map[string]any{"name": "X", "queue_id": 9999}, 400, "queue_id"},
			{map[string]any{"name": "X", "default_list_id": 9999}, 400, "default_list_id"},
			{map[string]any{"name": "X", "colour": "blue"}, 400, "colour"},
			{map[string]any{"name": "X", "colour": "#fff"}, 400, "colour"},
			{map[string]any{"name": "X", "title": ""}, 400, "title"},
			{map[string]any{"name": "X", "title": strings.Repeat("t", 101)}, 400, "title"},
			{map[string]any{"name": "X", "max_attachment_mb": 0}, 400, "max_attachment_mb"},
			{map[string]any{"name": "X", "max_attachment_mb": 26}, 400, "max_attachment_mb"},
			{map[string]any{"name": "X", "online_form": longForm}, 400, "online_form"},
			{map[string]any{"name": "X", "online_form": []map[string]any{{"name": "ok", "label": "Ok", "type": "text"},
				{"name": "Bad Name", "label": "Bad", "type": "text"}}}, 400, "online_form.1.name"},
			{map[string]any{"name": "X", "offline_form": []map[string]any{{"name": "email", "label": "E", "type": "email"},
				{"name": "email", "label": "E2", "type": "email"}}}, 400, "offline_form.1.name"},
			{map[string]any{"name": "X", "online_form": []map[string]any{{"name": "topic", "label": "Topic", "type": "select"}}}, 400, "online_form.0.options"},
			{map[string]any{"name": "X", "online_form": []map[string]any{{"name": "age", "label": "Age", "type": "text", "options": []string{"1"}}}}, 400, "online_form.0.options"},
			{map[string]any{"name": "X", "online_form": []map[string]any{{"name": "age", "label": "Age", "type": "number"}}}, 400, "online_form.0.type"},
			{map[string]any{"name": "X", "online_form": []map[string]any{{"name": "age", "label": "", "type": "text"}}}, 400, "online_form.0.label"},
		}
		for i, c := range cases {
			r := admin.Do("POST", "/api/v1/websites", c.body).Expect(t, c.status)
			if f := fields(t, r); f[c.field] == nil {
				t.Fatalf("case %d (%v): fields %v, want %s", i, c.body, f, c.field)
			}
		}
		if list := items(t, admin.Do("GET", "/api/v1/websites", nil)); len(list) != 1 {
			t.Fatalf("an invalid website was stored: %v", list)
		}
	})
}

func TestWebsitesArePatchedRotatedAndDeleted(t *testing.T) {
	bothDialects(t, func(t *testing.T, site *apptest.Site) {
		admin := site.Admin(t)
		chatQ := admin.Do("POST", "/api/v1/queues", map[string]any{"name": "Chat", "channel": "chat"}).Expect(t, 201).Map(t)
		w := admin.Do("POST", "/api/v1/websites", map[string]any{"name": "Shop", "queue_id": chatQ["id"]}).Expect(t, 201).Map(t)
		admin.Do("POST", "/api/v1/websites", map[string]any{"name": "Blog"}).Expect(t, 201)
		key := w["widget_key"].(string)

		got := admin.Do("PATCH", "/api/v1/websites/"+idOf(w), map[string]any{"title": "Hi there", "enabled": false,
			"attachments_enabled": false, "widget_key": "stolen", "queue_id": nil,
			"offline_form": []map[string]any{{"name": "message", "label": "Message", "type": "textarea"}}}).Expect(t, 200).Map(t)
		if got["title"] != "Hi there" || got["enabled"] != false || got["attachments_enabled"] != false || got["widget_key"] != key ||
			got["queue_id"] != nil || got["name"] != "Shop" || got["colour"] != "#2563eb" || len(got["online_form"].([]any)) != 2 {
			t.Fatalf("patched %v", got)
		}
		if f := got["offline_form"].([]any); len(f) != 1 || f[0].(map[string]any)["required"] != false {
			t.Fatalf("offline form %v", f)
		}
		admin.Do("PATCH", "/api/v1/websites/"+idOf(w), map[string]any{"name": "BLOG"}).Expect(t, 409)
		admin.Do("PATCH", "/api/v1/websites/"+idOf(w), map[string]any{"colour": "red"}).Expect(t, 400)
		admin.Do("PATCH", "/api/v1/websites/9999", map[string]any{"title": "x"}).Expect(t, 404)

		snippet := admin.Do("GET", "/api/v1/websites/"+idOf(w)+"/snippet", nil).Expect(t, 200).Map(t)["html"].(string)
		want := `<script src="` + site.App.Config.BaseURL + `/widget.js" data-switchboard-key="` + key + `" async></script>`
		if snippet != want {
			t.Fatalf("snippet %s, want %s", snippet, want)
		}

		rotated := admin.Do("POST", "/api/v1/websites/"+idOf(w)+"/rotate-key", nil).Expect(t, 200).Map(t)
		newKey := rotated["widget_key"].(string)
		if newKey == key || len(newKey) < 22 {
			t.Fatalf("rotated key %q (was %q)", newKey, key)
		}
		ctx := context.Background()
		if _, err := site.App.DB.WebsiteByKey(ctx, key); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("old key still works: %v", err)
		}
		if found, err := site.App.DB.WebsiteByKey(ctx, newKey); err != nil || found.Name != "Shop" {
			t.Fatalf("new key: %v %v", found, err)
		}
		if s := admin.Do("GET", "/api/v1/websites/"+idOf(w)+"/snippet", nil).Expect(t, 200).Map(t)["html"].(string); !strings.Contains(s, newKey) {
			t.Fatalf("snippet after rotation %s", s)
		}
		admin.Do("POST", "/api/v1/websites/9999/rotate-key", nil).Expect(t, 404)

		admin.Do("DELETE", "/api/v1/websites/"+idOf(w), nil).Expect(t, 204)
		admin.Do("GET", "/api/v1/websites/"+idOf(w), nil).Expect(t, 404)
		admin.Do("GET", "/api/v1/websites/"+idOf(w)+"/snippet", nil).Expect(t, 404)
		admin.Do("DELETE", "/api/v1/websites/"+idOf(w), nil).Expect(t, 404)
		if list := items(t, admin.Do("GET", "/api/v1/accounts", nil)); len(list) != 1 || list[0]["name"] != "Blog" {
			t.Fatalf("accounts after delete %v", list)
		}
		var types []string
		for _, e := range items(t, admin.Do("GET", "/api/v1/events?subject_type=account&subject_id="+idOf(w), nil)) {
			types = append(types, e["type"].(string))
		}
		if strings.Join(types, ",") != "account.created,account.updated,account.key_rotated,account.deleted" {
			t.Fatalf("account events %v", types)
		}
	})
}

func TestOnlyChannelsRightsManageWebsites(t *testing.T) {
	bothDialects(t, func(t *testing.T, site *apptest.Site) {
		admin := site.Admin(t)
		w := admin.Do("POST", "/api/v1/websites", map[string]any{"name": "Shop"}).Expect(t, 201).Map(t)
		createAgent(t, admin, "mario", "")
		agent := site.Client(t)
		changeFirstPassword(t, agent, "mario", "Mario-Pass22")
		if got := items(t, agent.Do("GET", "/api/v1/accounts", nil)); len(got) != 1 || got[0]["name"] != "Shop" {
			t.Fatalf("agent accounts %v", got)
		}
		agent.Do("GET", "/api/v1/websites", nil).Expect(t, 403)
		agent.Do("POST", "/api/v1/websites", map[string]any{"name": "Mine"}).Expect(t, 403)
		agent.Do("PATCH", "/api/v1/websites/"+idOf(w), map[string]any{"name": "Mine"}).Expect(t, 403)
		agent.Do("POST", "/api/v1/websites/"+idOf(w)+"/rotate-key", nil).Expect(t, 403)
		agent.Do("DELETE", "/api/v1/websites/"+idOf(w), nil).Expect(t, 403)

		// A user with channels:view lists websites but cannot open, create or change one.
		prof := admin.Do("POST", "/api/v1/user-profiles", map[string]any{"name": "Channel watchers",
			"rights": map[string]any{"channels": []string{"view"}}}).Expect(t, 201).Map(t)
		admin.Do("POST", "/api/v1/users", map[string]any{"username": "sup", "full_name": "S", "kind": "user",
			"password": "Temp-Pass1", "user_profile_id": prof["id"]}).Expect(t, 201)
		u := site.Client(t)
		changeFirstPassword(t, u, "sup", "Supe-Pass22")
		if got := items(t, u.Do("GET", "/api/v1/websites", nil)); len(got) != 1 {
			t.Fatalf("user websites %v", got)
		}
		u.Do("GET", "/api/v1/websites/"+idOf(w), nil).Expect(t, 403)
		u.Do("POST", "/api/v1/websites", map[string]any{"name": "Mine"}).Expect(t, 403)
		u.Do("PATCH", "/api/v1/websites/"+idOf(w), map[string]any{"name": "Mine"}).Expect(t, 403)
		u.Do("DELETE", "/api/v1/websites/"+idOf(w), nil).Expect(t, 403)

		// channels:edit creates and changes, not deletes.
		admin.Do("PATCH", "/api/v1/user-profiles/"+idOf(prof), map[string]any{
			"rights": map[string]any{"channels": []string{"view", "read", "edit"}}}).Expect(t, 200)
		u.Do("POST", "/api/v1/websites", map[string]any{"name": "Mine"}).Expect(t, 201)
		u.Do("GET", "/api/v1/websites/"+idOf(w)+"/snippet", nil).Expect(t, 200)
		u.Do("PATCH", "/api/v1/websites/"+idOf(w), map[string]any{"title": "Hello"}).Expect(t, 200)
		u.Do("DELETE", "/api/v1/websites/"+idOf(w), nil).Expect(t, 403)
	})
}
