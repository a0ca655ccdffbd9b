package httpapi_test

import (
	"strings"
	"testing"

	"github.com/switchboard-cc/switchboard/internal/app/apptest"
)

func items(t *testing.T, r *apptest.Response) []map[string]any {
	t.Helper()
	raw, _ := r.Expect(t, 200).Map(t)["items"].([]any)
	out := make([]map[string]any, len(raw))
	for i, x := range raw {
		out[i] = x.(map[string]any)
	}
	return out
}

func TestTagsAreManagedWithUniqueNamesAndColours(t *testing.T) {
	bothDialects(t, func(t *testing.T, site *apptest.Site) {
		admin := site.Admin(t)
		vip := admin.Do("POST", "/api/v1/tags", map[string]any{"name": " VIP ", "colour": "#FFAA00", "description": "Top customers"}).
			Expect(t, 201).Map(t)
		if vip["name"] != "VIP" || vip["colour"] != "#ffaa00" || vip["description"] != "Top customers" {
			t.Fatalf("tag %v", vip)
		}
		if f := fields(t, admin.Do("POST", "/api/v1/tags", map[string]any{"name": "vip", "colour": "#000000"}).Expect(t, 409)); f["name"] == nil {
			t.Fatalf("duplicate name fields %v", f)
		}
		for _, bad := range []string{"red", "#fff", "#12345g", ""} {
			if f := fields(t, admin.Do("POST", "/api/v1/tags", map[string]any{"name": "Bad", "colour": bad}).Expect(t, 400)); f["colour"] == nil {
				t.Fatalf("colour %q fields %v", bad, f)
			}
		}
		if f := fields(t, admin.Do("POST", "/api/v1/tags", map[string]any{"name": strings.Repeat("x", 51), "colour": "#000000"}).Expect(t, 400)); f["name"] == nil {
			t.Fatalf("long name fields %v", f)
		}
		admin.Do("POST", "/api/v1/tags", map[string]any{"name": "Angry", "colour": "#ff0000"}).Expect(t, 201)
		got := admin.Do("PATCH", "/api/v1/tags/"+idOf(vip), map[string]any{"colour": "#00ff00"}).Expect(t, 200).Map(t)
		if got["name"] != "VIP" || got["colour"] != "#00ff00" {
			t.Fatalf("patched %v", got)
		}
		admin.Do("PATCH", "/api/v1/tags/"+idOf(vip), map[string]any{"name": "ANGRY"}).Expect(t, 409)
		admin.Do("PATCH", "/api/v1/tags/"+idOf(vip), map[string]any{"colour": "blue"}).Expect(t, 400)
		list := items(t, admin.Do("GET", "/api/v1/tags", nil))
		if len(list) != 2 || list[0]["name"] != "Angry" || list[1]["name"] != "VIP" {
			t.Fatalf("tags %v", list)
		}
		admin.Do("DELETE", "/api/v1/tags/"+idOf(vip), nil).Expect(t, 204)
		admin.Do("GET", "/api/v1/tags/"+idOf(vip), nil).Expect(t, 404)
		admin.Do("DELETE", "/api/v1/tags/"+idOf(vip), nil).Expect(t, 404)
		var types []string
		for _, e := range items(t, admin.Do("GET", "/api/v1/events?subject_type=tag", nil)) {
			types = append(types, e["type"].(string))
		}
		if strings.Join(types, ",") != "tag.created,tag.created,tag.updated,tag.deleted" {
			t.Fatalf("tag events %v", types)
		}
	})
}

func TestDispositionsAreGlobalOrPerAccount(t *testing.T) {
	bothDialects(t, func(t *testing.T, site *apptest.Site) {
		admin := site.Admin(t)
		sold := admin.Do("POST", "/api/v1/dispositions", map[string]any{"name": "Sold", "description": "Closed a sale"}).Expect(t, 201).Map(t)
		if sold["account_id"] != nil || sold["name"] != "Sold" {
			t.Fatalf("disposition %v", sold)
		}
		if f := fields(t, admin.Do("POST", "/api/v1/dispositions", map[string]any{"name": "SOLD"}).Expect(t, 409)); f["name"] == nil {
			t.Fatalf("duplicate fields %v", f)
		}
		shop := admin.Do("POST", "/api/v1/websites", map[string]any{"name": "Shop"}).Expect(t, 201).Map(t)
		other := admin.Do("POST", "/api/v1/websites", map[string]any{"name": "Blog"}).Expect(t, 201).Map(t)
		if f := fields(t, admin.Do("POST", "/api/v1/dispositions", map[string]any{"name": "Local", "account_id": 999}).Expect(t, 400)); f["account_id"] == nil {
			t.Fatalf("unknown account fields %v", f)
		}
		admin.Do("PATCH", "/api/v1/dispositions/"+idOf(sold), map[string]any{"account_id": 999}).Expect(t, 400)
		local := admin.Do("POST", "/api/v1/dispositions", map[string]any{"name": "Refund", "account_id": shop["id"]}).Expect(t, 201).Map(t)
		if local["account_id"] != shop["id"] {
			t.Fatalf("local disposition %v", local)
		}
		// Names are unique within their scope only.
		admin.Do("POST", "/api/v1/dispositions", map[string]any{"name": "sold", "account_id": shop["id"]}).Expect(t, 201)
		admin.Do("POST", "/api/v1/dispositions", map[string]any{"name": "REFUND", "account_id": shop["id"]}).Expect(t, 409)
		admin.Do("POST", "/api/v1/dispositions", map[string]any{"name": "Spam", "account_id": other["id"]}).Expect(t, 201)
		admin.Do("POST", "/api/v1/dispositions", map[string]any{"name": "No answer", "account_id": nil}).Expect(t, 201)
		got := admin.Do("PATCH", "/api/v1/dispositions/"+idOf(sold), map[string]any{"name": "Sale"}).Expect(t, 200).Map(t)
		if got["name"] != "Sale" || got["description"] != "Closed a sale" {
			t.Fatalf("patched %v", got)
		}
		admin.Do("PATCH", "/api/v1/dispositions/"+idOf(sold), map[string]any{"name": "no ANSWER"}).Expect(t, 409)
		if list := items(t, admin.Do("GET", "/api/v1/dispositions", nil)); len(list) != 5 || list[0]["name"] != "No answer" {
			t.Fatalf("dispositions %v", list)
		}
		var names []string
		for _, d := range items(t, admin.Do("GET", "/api/v1/dispositions?account_id="+idOf(shop), nil)) {
			names = append(names, d["name"].(string))
		}
		if strings.Join(names, ",") != "No answer,Sale,Refund,sold" {
			t.Fatalf("shop dispositions %v", names)
		}
		admin.Do("GET", "/api/v1/dispositions?account_id=x", nil).Expect(t, 400)
		admin.Do("DELETE", "/api/v1/dispositions/"+idOf(sold), nil).Expect(t, 204)
		if list := items(t, admin.Do("GET", "/api/v1/dispositions", nil)); len(list) != 4 {
			t.Fatalf("after delete %v", list)
		}
		// Deleting an account deletes its local entries (on SQLite too).
		admin.Do("DELETE", "/api/v1/websites/"+idOf(shop), nil).Expect(t, 204)
		admin.Do("GET", "/api/v1/dispositions/"+idOf(local), nil).Expect(t, 404)
		if list := items(t, admin.Do("GET", "/api/v1/dispositions", nil)); len(list) != 2 {
			t.Fatalf("after deleting the account %v", list)
		}
	})
}

func TestCannedAnswersAreFoundByTitle(t *testing.T) {
	bothDialects(t, func(t *testing.T, site *apptest.Site) {
		admin := site.Admin(t)
		hello := admin.Do("POST", "/api/v1/canned-answers", map[string]any{"title": "Greeting", "body": "Hello,\nhow can I help you?"}).
			Expect(t, 201).Map(t)
		if hello["body"] != "Hello,\nhow can I help you?" || hello["account_id"] != nil {
			t.Fatalf("answer %v", hello)
		}
		admin.Do("POST", "/api/v1/canned-answers", map[string]any{"title": "Opening hours", "body": "We are open 9 to 18."}).Expect(t, 201)
		admin.Do("POST", "/api/v1/canned-answers", map[string]any{"title": "100% refund", "body": "You get all of it back."}).Expect(t, 201)
		if f := fields(t, admin.Do("POST", "/api/v1/canned-answers", map[string]any{"title": "greeting", "body": "Hi"}).Expect(t, 409)); f["title"] == nil {
			t.Fatalf("duplicate fields %v", f)
		}
		if f := fields(t, admin.Do("POST", "/api/v1/canned-answers", map[string]any{"title": "Empty", "body": "  "}).Expect(t, 400)); f["body"] == nil {
			t.Fatalf("empty body fields %v", f)
		}
		if f := fields(t, admin.Do("POST", "/api/v1/canned-answers", map[string]any{"title": "Long", "body": strings.Repeat("a", 5001)}).Expect(t, 400)); f["body"] == nil {
			t.Fatalf("long body fields %v", f)
		}
		if f := fields(t, admin.Do("POST", "/api/v1/canned-answers", map[string]any{"title": "Local", "body": "x", "account_id": 1}).Expect(t, 400)); f["account_id"] == nil {
			t.Fatalf("account fields %v", f)
		}
		shop := admin.Do("POST", "/api/v1/websites", map[string]any{"name": "Shop"}).Expect(t, 201).Map(t)
		blog := admin.Do("POST", "/api/v1/websites", map[string]any{"name": "Blog"}).Expect(t, 201).Map(t)
		admin.Do("POST", "/api/v1/canned-answers", map[string]any{"title": "Shop hours", "body": "Open 24/7.", "account_id": shop["id"]}).Expect(t, 201)
		admin.Do("POST", "/api/v1/canned-answers", map[string]any{"title": "Greeting", "body": "Welcome to the shop!", "account_id": shop["id"]}).Expect(t, 201)
		admin.Do("POST", "/api/v1/canned-answers", map[string]any{"title": "Blog hours", "body": "Never.", "account_id": blog["id"]}).Expect(t, 201)
		for q, want := range map[string]int{"": 5, "hours": 2, "greet": 2, "blog": 0} {
			got := items(t, admin.Do("GET", "/api/v1/canned-answers?account_id="+idOf(shop)+"&q="+q, nil))
			if len(got) != want {
				t.Fatalf("shop q=%q: %v", q, got)
			}
		}
		for _, c := range items(t, admin.Do("GET", "/api/v1/canned-answers?account_id="+idOf(shop), nil)) {
			if c["account_id"] != nil && c["account_id"] != shop["id"] {
				t.Fatalf("another account's answer %v", c)
			}
		}
		admin.Do("DELETE", "/api/v1/websites/"+idOf(shop), nil).Expect(t, 204)
		admin.Do("DELETE", "/api/v1/websites/"+idOf(blog), nil).Expect(t, 204)
		for q, want := range map[string]int{"": 3, "OPEN": 1, "ee": 1, "%": 1, "zzz": 0} {
			got := items(t, admin.Do("GET", "/api/v1/canned-answers?q="+strings.ReplaceAll(q, "%", "%25"), nil))
			if len(got) != want {
				t.Fatalf("q=%q: %v", q, got)
			}
		}
		got := admin.Do("PATCH", "/api/v1/canned-answers/"+idOf(hello), map[string]any{"body": "Hi!"}).Expect(t, 200).Map(t)
		if got["title"] != "Greeting" || got["body"] != "Hi!" {
			t.Fatalf("patched %v", got)
		}
		admin.Do("PATCH", "/api/v1/canned-answers/"+idOf(hello), map[string]any{"title": "opening HOURS"}).Expect(t, 409)
		admin.Do("DELETE", "/api/v1/canned-answers/"+idOf(hello), nil).Expect(t, 204)
		if got := items(t, admin.Do("GET", "/api/v1/canned-answers?q=greet", nil)); len(got) != 0 {
			t.Fatalf("after delete %v", got)
		}
	})
}

func TestPendingIsABuiltInSubStatus(t *testing.T) {
	bothDialects(t, func(t *testing.T, site *apptest.Site) {
		admin := site.Admin(t)
		list := items(t, admin.Do("GET", "/api/v1/sub-statuses", nil))
		if len(list) != 1 || list[0]["name"] != "Pending" || list[0]["builtin"] != true {
			t.Fatalf("seeded sub-statuses %v", list)
		}
		pending := list[0]
		admin.Do("DELETE", "/api/v1/sub-statuses/"+idOf(pending), nil).Expect(t, 409)
		if f := fields(t, admin.Do("PATCH", "/api/v1/sub-statuses/"+idOf(pending), map[string]any{"name": "Waiting"}).Expect(t, 400)); f["name"] == nil {
			t.Fatalf("rename fields %v", f)
		}
		got := admin.Do("PATCH", "/api/v1/sub-statuses/"+idOf(pending), map[string]any{"description": "Waiting for the customer"}).Expect(t, 200).Map(t)
		if got["name"] != "Pending" || got["description"] != "Waiting for the customer" || got["builtin"] != true {
			t.Fatalf("patched pending %v", got)
		}
		admin.Do("POST", "/api/v1/sub-statuses", map[string]any{"name": "pending"}).Expect(t, 409)
		fw := admin.Do("POST", "/api/v1/sub-statuses", map[string]any{"name": "Forwarded", "builtin": true}).Expect(t, 201).Map(t)
		if fw["builtin"] != false {
			t.Fatalf("created %v", fw)
		}
		fw = admin.Do("PATCH", "/api/v1/sub-statuses/"+idOf(fw), map[string]any{"name": "Escalated"}).Expect(t, 200).Map(t)
		if fw["name"] != "Escalated" {
			t.Fatalf("renamed %v", fw)
		}
		if list := items(t, admin.Do("GET", "/api/v1/sub-statuses", nil)); len(list) != 2 || list[0]["name"] != "Pending" {
			t.Fatalf("sub-statuses %v", list)
		}
		admin.Do("DELETE", "/api/v1/sub-statuses/"+idOf(fw), nil).Expect(t, 204)
		admin.Do("GET", "/api/v1/sub-statuses/"+idOf(fw), nil).Expect(t, 404)
	})
}

func TestAgentsReadCatalogsButOnlySettingsRightsChangeThem(t *testing.T) {
	bothDialects(t, func(t *testing.T, site *apptest.Site) {
		admin := site.Admin(t)
		tag := admin.Do("POST", "/api/v1/tags", map[string]any{"name": "VIP", "colour": "#ffaa00"}).Expect(t, 201).Map(t)
		admin.Do("POST", "/api/v1/canned-answers", map[string]any{"title": "Greeting", "body": "Hello"}).Expect(t, 201)
		createAgent(t, admin, "mario", "")
		agent := site.Client(t)
		changeFirstPassword(t, agent, "mario", "Mario-Pass22")
		for path, want := range map[string]int{"/api/v1/tags": 1, "/api/v1/dispositions": 0, "/api/v1/canned-answers?q=greet": 1, "/api/v1/sub-statuses": 1} {
			if got := items(t, agent.Do("GET", path, nil)); len(got) != want {
				t.Fatalf("agent GET %s: %v", path, got)
			}
		}
		agent.Do("POST", "/api/v1/tags", map[string]any{"name": "Mine", "colour": "#000000"}).Expect(t, 403)
		agent.Do("POST", "/api/v1/dispositions", map[string]any{"name": "Mine"}).Expect(t, 403)
		agent.Do("POST", "/api/v1/canned-answers", map[string]any{"title": "Mine", "body": "x"}).Expect(t, 403)
		agent.Do("POST", "/api/v1/sub-statuses", map[string]any{"name": "Mine"}).Expect(t, 403)
		agent.Do("PATCH", "/api/v1/tags/"+idOf(tag), map[string]any{"name": "Mine"}).Expect(t, 403)
		agent.Do("DELETE", "/api/v1/tags/"+idOf(tag), nil).Expect(t, 403)

		// A user with settings:edit may create and change, not delete.
		prof := admin.Do("POST", "/api/v1/user-profiles", map[string]any{"name": "Settings editors",
			"rights": map[string]any{"settings": []string{"view", "read", "edit"}}}).Expect(t, 201).Map(t)
		admin.Do("POST", "/api/v1/users", map[string]any{"username": "sup", "full_name": "S", "kind": "user",
			"password": "Temp-Pass1", "user_profile_id": prof["id"]}).Expect(t, 201)
		u := site.Client(t)
		changeFirstPassword(t, u, "sup", "Supe-Pass22")
		u.Do("POST", "/api/v1/dispositions", map[string]any{"name": "Callback"}).Expect(t, 201)
		u.Do("PATCH", "/api/v1/tags/"+idOf(tag), map[string]any{"description": "Top customers"}).Expect(t, 200)
		u.Do("DELETE", "/api/v1/tags/"+idOf(tag), nil).Expect(t, 403)
	})
}
