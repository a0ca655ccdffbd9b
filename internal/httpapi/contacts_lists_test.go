package httpapi_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/switchboard-cc/switchboard/internal/app/apptest"
	"github.com/switchboard-cc/switchboard/internal/store"
	"github.com/switchboard-cc/switchboard/internal/store/storetest"
)

func TestDeletingAListWithContactsMustSayTheyGoToo(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		cs := newContactSite(t, d)
		anna := cs.contact(t, cs.suppliers, map[string]any{"first_name": "Anna", "phone": "+393331234567", "tags": []string{}})
		bruno := cs.contact(t, cs.suppliers, map[string]any{"first_name": "Bruno"})
		list := "/api/v1/lists/" + cs.suppliers

		// The list says how many contacts deleting it would delete.
		if got := cs.admin.Do("GET", list, nil).Expect(t, 200).Map(t); got["contact_count"] != float64(2) || got["name"] != "Suppliers" {
			t.Fatalf("list %v", got)
		}
		refused := cs.admin.Do("DELETE", list, nil).Expect(t, http.StatusConflict).Map(t)
		if refused["code"] != "list.not_empty" || !strings.Contains(refused["message"].(string), "2 contact") {
			t.Fatalf("refusal %v", refused)
		}
		if f := fields(t, cs.admin.Do("DELETE", list+"?delete_contacts=perhaps", nil).Expect(t, 400)); f["delete_contacts"] == nil {
			t.Fatalf("bad flag: %v", f)
		}
		cs.admin.Do("DELETE", list+"?delete_contacts=false", nil).Expect(t, http.StatusConflict)
		// Nothing went: the list, its contacts and their custom fields.
		cs.admin.Do("GET", list, nil).Expect(t, 200)
		cs.admin.Do("GET", "/api/v1/contacts/"+idOf(anna), nil).Expect(t, 200)
		cs.admin.Do("GET", "/api/v1/contacts/"+idOf(bruno), nil).Expect(t, 200)

		cs.admin.Do("DELETE", list+"?delete_contacts=true", nil).Expect(t, http.StatusNoContent)
		cs.admin.Do("GET", list, nil).Expect(t, http.StatusNotFound)
		cs.admin.Do("GET", "/api/v1/contacts/"+idOf(anna), nil).Expect(t, http.StatusNotFound)
		cs.admin.Do("GET", "/api/v1/contacts/"+idOf(bruno), nil).Expect(t, http.StatusNotFound)
		if got := names(t, cs.admin.Do("GET", "/api/v1/contacts?q=%2B393331234567", nil)); len(got) != 0 {
			t.Fatalf("search still finds %v", got)
		}

		// An empty list goes without more ado.
		empty := idOf(cs.admin.Do("POST", "/api/v1/lists", map[string]any{"name": "Empty"}).Expect(t, 201).Map(t))
		cs.admin.Do("DELETE", "/api/v1/lists/"+empty, nil).Expect(t, http.StatusNoContent)
	})
}

func TestTheDefaultListOfAnAccountIsNotDeleted(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		cs := newContactSite(t, d)
		cs.contact(t, cs.customers, map[string]any{"first_name": "Anna"})
		cs.admin.Do("PATCH", "/api/v1/websites/"+cs.siteID, map[string]any{"default_list_id": jsonID(cs.customers)}).Expect(t, 200)
		list := "/api/v1/lists/" + cs.customers

		// Not even with its contacts: the website would file new visitors nowhere.
		for _, q := range []string{"", "?delete_contacts=true"} {
			refused := cs.admin.Do("DELETE", list+q, nil).Expect(t, http.StatusConflict).Map(t)
			if refused["code"] != "list.in_use" || !strings.Contains(refused["message"].(string), "Shop") {
				t.Fatalf("refusal %v", refused)
			}
		}
		cs.admin.Language = "it"
		if m := cs.admin.Do("DELETE", list, nil).Expect(t, http.StatusConflict).Map(t)["message"].(string); !strings.Contains(m, "predefinita di Shop") {
			t.Fatalf("in Italian: %q", m)
		}
		cs.admin.Language = ""
		if got := cs.admin.Do("GET", list, nil).Expect(t, 200).Map(t); got["contact_count"] != float64(1) {
			t.Fatalf("after the refusals %v", got)
		}

		// Once the website files its visitors elsewhere, the list may go.
		cs.admin.Do("PATCH", "/api/v1/websites/"+cs.siteID, map[string]any{"default_list_id": jsonID(cs.suppliers)}).Expect(t, 200)
		cs.admin.Do("DELETE", list+"?delete_contacts=true", nil).Expect(t, http.StatusNoContent)
	})
}

func TestListAgentChoicesNeedTheContactListsRightNotTheStaffOne(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		cs := newContactSite(t, d)
		// Paolo works a queue outside the users' profile.
		other := cs.admin.Do("POST", "/api/v1/queues", map[string]any{"name": "Back office", "channel": "chat"}).Expect(t, 201).Map(t)
		paolo := createAgent(t, cs.admin, "paolo", "")
		cs.admin.Do("PUT", "/api/v1/agents/"+idOf(paolo)+"/queues", map[string]any{"queue_ids": []any{other["id"]}}).Expect(t, 200)

		user := func(name string, rights map[string]any) *apptest.Client {
			prof := cs.admin.Do("POST", "/api/v1/user-profiles", map[string]any{"name": "Profile " + name, "rights": rights,
				"list_ids": []any{jsonID(cs.customers)}, "queue_ids": []any{cs.queue["id"]}}).Expect(t, 201).Map(t)
			cs.admin.Do("POST", "/api/v1/users", map[string]any{"username": name, "full_name": name, "kind": "user",
				"password": "Temp-Pass1", "user_profile_id": prof["id"]}).Expect(t, 201)
			c := cs.site.Client(t)
			changeFirstPassword(t, c, name, "User-Pass222")
			return c
		}
		keeper := user("keeper", map[string]any{"contacts": []string{"view", "read", "edit"}})
		reader := user("reader", map[string]any{"contacts": []string{"view", "read"}})
		staffer := user("staffer", map[string]any{"staff": []string{"view", "read", "edit"}})
		choices := "/api/v1/lists/" + cs.customers + "/agent-choices"

		// The keeper may not view the staff, yet picks among his queues' agents.
		keeper.Do("GET", "/api/v1/agents", nil).Expect(t, http.StatusForbidden)
		picked := items(t, keeper.Do("GET", choices+"?sort=username", nil).Expect(t, 200))
		var usernames []string
		for _, a := range picked {
			usernames = append(usernames, a["username"].(string))
			for k := range a {
				if !slices.Contains([]string{"id", "username", "full_name", "avatar_thumbnail_url"}, k) {
					t.Errorf("a choice tells %s: %v", k, a)
				}
			}
		}
		if !slices.Equal(usernames, []string{"giulia", "mario"}) {
			t.Fatalf("keeper's choices %v", usernames)
		}
		if got := items(t, keeper.Do("GET", choices+"?q=mar", nil).Expect(t, 200)); len(got) != 1 || got[0]["full_name"] != "Mario Rossi" {
			t.Fatalf("search: %v", got)
		}
		keeper.Do("PUT", "/api/v1/lists/"+cs.customers+"/agents/"+cs.marioID, map[string]any{"access": "edit"}).Expect(t, 200)
		keeper.Do("PUT", "/api/v1/lists/"+cs.customers+"/agents/"+idOf(paolo), map[string]any{"access": "read"}).Expect(t, http.StatusForbidden)
		if got := items(t, cs.admin.Do("GET", "/api/v1/lists/"+cs.customers+"/agents", nil)); len(got) != 1 || got[0]["username"] != "mario" {
			t.Fatalf("list agents %v", got)
		}
		// Only lists of his profile.
		keeper.Do("GET", "/api/v1/lists/"+cs.suppliers+"/agent-choices", nil).Expect(t, http.StatusForbidden)

		// Without the right to change lists, or with only the staff rights: no choices.
		reader.Do("GET", choices, nil).Expect(t, http.StatusForbidden)
		staffer.Do("GET", choices, nil).Expect(t, http.StatusForbidden)
		cs.mario.Do("GET", choices, nil).Expect(t, http.StatusForbidden)

		// An admin chooses among every agent.
		if got := items(t, cs.admin.Do("GET", choices+"?sort=username", nil).Expect(t, 200)); len(got) != 3 || got[1]["username"] != "mario" {
			t.Fatalf("admin's choices %v", got)
		}
	})
}
