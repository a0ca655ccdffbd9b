package httpapi_test

import (
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/switchboard-cc/switchboard/internal/app/apptest"
	"github.com/switchboard-cc/switchboard/internal/store"
	"github.com/switchboard-cc/switchboard/internal/store/storetest"
)

// contactSite is a chat site (agents Mario Rossi and Giulia Bianchi on a
// chat queue, the Shop website) with two contact lists: Customers, with
// custom fields, and Suppliers.
type contactSite struct {
	*chatSite
	customers, suppliers string
}

func newContactSite(t *testing.T, d store.Dialect) *contactSite {
	t.Helper()
	cs := &contactSite{chatSite: newChatSite(t, d)}
	cs.customers = idOf(cs.admin.Do("POST", "/api/v1/lists", map[string]any{"name": "Customers"}).Expect(t, 201).Map(t))
	cs.suppliers = idOf(cs.admin.Do("POST", "/api/v1/lists", map[string]any{"name": "Suppliers"}).Expect(t, 201).Map(t))
	for _, f := range []map[string]any{
		{"key": "birthday", "label": "Birthday", "type": "date", "position": 1},
		{"key": "budget", "label": "Budget", "type": "number", "position": 2},
		{"key": "tier", "label": "Tier", "type": "select", "options": []string{"Gold", "Silver"}, "position": 3},
		{"key": "vip", "label": "VIP", "type": "checkbox", "position": 4},
	} {
		cs.admin.Do("POST", "/api/v1/lists/"+cs.customers+"/fields", f).Expect(t, 201)
	}
	return cs
}

// contact creates a contact as the admin.
func (cs *contactSite) contact(t *testing.T, list string, body map[string]any) map[string]any {
	t.Helper()
	body["list_id"] = jsonID(list)
	return cs.admin.Do("POST", "/api/v1/contacts", body).Expect(t, 201).Map(t)
}

// grant gives an agent a list.
func (cs *contactSite) grant(t *testing.T, list, agentID, access string) {
	t.Helper()
	cs.admin.Do("PUT", "/api/v1/lists/"+list+"/agents/"+agentID, map[string]any{"access": access}).Expect(t, 200)
}

// jsonID is an id as a JSON body carries it.
func jsonID(id string) float64 {
	n, _ := strconv.ParseFloat(id, 64)
	return n
}

// names lists the contacts of a page by first name, in order.
func names(t *testing.T, r *apptest.Response) []string {
	t.Helper()
	var out []string
	for _, c := range items(t, r) {
		out = append(out, c["first_name"].(string))
	}
	return out
}

func TestContactListsAreUsedByTheAgentsAndProfilesGivenThem(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		cs := newContactSite(t, d)
		private := idOf(cs.admin.Do("POST", "/api/v1/lists", map[string]any{"name": "Private"}).Expect(t, 201).Map(t))
		anna := cs.contact(t, cs.customers, map[string]any{"first_name": "Anna"})
		bruno := cs.contact(t, cs.suppliers, map[string]any{"first_name": "Bruno"})
		carla := cs.contact(t, private, map[string]any{"first_name": "Carla"})
		cs.grant(t, cs.customers, cs.marioID, "read")
		cs.grant(t, cs.suppliers, cs.marioID, "edit")
		cs.admin.Do("PUT", "/api/v1/lists/"+cs.customers+"/agents/"+cs.marioID, map[string]any{"access": "owner"}).Expect(t, 400)

		agents := items(t, cs.admin.Do("GET", "/api/v1/lists/"+cs.suppliers+"/agents", nil))
		if len(agents) != 1 || agents[0]["username"] != "mario" || agents[0]["access"] != "edit" {
			t.Fatalf("list agents %v", agents)
		}
		var usable []string
		for _, l := range items(t, cs.mario.Do("GET", "/api/v1/contact-lists", nil)) {
			usable = append(usable, l["name"].(string)+":"+l["access"].(string))
			if l["name"] == "Customers" && len(l["fields"].([]any)) != 4 {
				t.Errorf("Customers fields %v", l["fields"])
			}
		}
		if strings.Join(usable, ",") != "Customers:read,Suppliers:edit" {
			t.Fatalf("mario's lists %v", usable)
		}

		// He reads both lists, creates and edits only in Suppliers.
		if got := names(t, cs.mario.Do("GET", "/api/v1/contacts", nil)); !slices.Equal(got, []string{"Anna", "Bruno"}) {
			t.Fatalf("mario sees %v", got)
		}
		cs.mario.Do("GET", "/api/v1/contacts?list_id="+private, nil).Expect(t, http.StatusForbidden)
		cs.mario.Do("GET", "/api/v1/contacts/"+idOf(carla), nil).Expect(t, http.StatusForbidden)
		cs.mario.Do("GET", "/api/v1/contacts/"+idOf(anna), nil).Expect(t, 200)
		cs.mario.Do("PATCH", "/api/v1/contacts/"+idOf(anna), map[string]any{"company": "X"}).Expect(t, http.StatusForbidden)
		cs.mario.Do("PATCH", "/api/v1/contacts/"+idOf(bruno), map[string]any{"company": "Bruno Srl"}).Expect(t, 200)
		if f := fields(t, cs.mario.Do("POST", "/api/v1/contacts", map[string]any{"list_id": jsonID(cs.customers),
			"first_name": "Nope"}).Expect(t, 400)); f["list_id"] == nil {
			t.Fatalf("create in a read-only list: %v", f)
		}
		cs.mario.Do("POST", "/api/v1/contacts", map[string]any{"list_id": jsonID(cs.suppliers), "first_name": "Dario"}).Expect(t, 201)
		cs.mario.Do("DELETE", "/api/v1/contacts/"+idOf(bruno), nil).Expect(t, http.StatusForbidden) // agents never delete
		cs.mario.Do("GET", "/api/v1/lists", nil).Expect(t, http.StatusForbidden)                    // the admin console's lists

		// Giulia has no list: nothing to see.
		if got := items(t, cs.giula.Do("GET", "/api/v1/contacts", nil)); len(got) != 0 {
			t.Fatalf("giulia sees %v", got)
		}
		cs.giula.Do("GET", "/api/v1/contacts/"+idOf(anna), nil).Expect(t, http.StatusForbidden)

		// Users: their profile's lists, with their contacts rights.
		for name, rights := range map[string][]string{"reader": {"view", "read"}, "keeper": {"view", "read", "edit", "delete"}} {
			prof := cs.admin.Do("POST", "/api/v1/user-profiles", map[string]any{"name": "Profile " + name,
				"rights": map[string]any{"contacts": rights}, "list_ids": []any{jsonID(cs.customers)}}).Expect(t, 201).Map(t)
			cs.admin.Do("POST", "/api/v1/users", map[string]any{"username": name, "full_name": name, "kind": "user",
				"password": "Temp-Pass1", "user_profile_id": prof["id"]}).Expect(t, 201)
		}
		reader, keeper := cs.site.Client(t), cs.site.Client(t)
		changeFirstPassword(t, reader, "reader", "User-Pass222")
		changeFirstPassword(t, keeper, "keeper", "User-Pass222")
		if got := names(t, reader.Do("GET", "/api/v1/contacts", nil)); !slices.Equal(got, []string{"Anna"}) {
			t.Fatalf("reader sees %v", got)
		}
		reader.Do("POST", "/api/v1/contacts", map[string]any{"list_id": jsonID(cs.customers), "first_name": "X"}).Expect(t, http.StatusForbidden)
		reader.Do("GET", "/api/v1/contacts/"+idOf(bruno), nil).Expect(t, http.StatusForbidden)
		keeper.Do("POST", "/api/v1/contacts", map[string]any{"list_id": jsonID(cs.suppliers), "first_name": "X"}).Expect(t, 400)
		kept := keeper.Do("POST", "/api/v1/contacts", map[string]any{"list_id": jsonID(cs.customers), "first_name": "Elena",
			"fields": map[string]any{"tier": "gold"}}).Expect(t, 201).Map(t)
		keeper.Do("DELETE", "/api/v1/contacts/"+idOf(kept), nil).Expect(t, 204)
		keeper.Do("DELETE", "/api/v1/contacts/"+idOf(bruno), nil).Expect(t, http.StatusForbidden)
		// A user gives his lists only to the agents of his profile's queues.
		keeper.Do("PUT", "/api/v1/lists/"+cs.customers+"/agents/"+cs.giuliaID, map[string]any{"access": "read"}).Expect(t, http.StatusForbidden)
		keeper.Do("PUT", "/api/v1/lists/"+cs.suppliers+"/agents/"+cs.giuliaID, map[string]any{"access": "read"}).Expect(t, http.StatusForbidden)

		cs.admin.Do("DELETE", "/api/v1/lists/"+cs.suppliers+"/agents/"+cs.marioID, nil).Expect(t, 204)
		if got := names(t, cs.mario.Do("GET", "/api/v1/contacts", nil)); !slices.Equal(got, []string{"Anna"}) {
			t.Fatalf("after losing Suppliers mario sees %v", got)
		}
	})
}

func TestContactCustomFieldsAreTypedAndRequiredOnesEnforced(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		cs := newContactSite(t, d)
		base := "/api/v1/lists/" + cs.customers + "/fields"
		for body, field := range map[string]map[string]any{
			"key":     {"key": "Bad Key", "label": "X", "type": "text"},
			"type":    {"key": "colour", "label": "Colour", "type": "colour"},
			"options": {"key": "size", "label": "Size", "type": "select"},
		} {
			if f := fields(t, cs.admin.Do("POST", base, field).Expect(t, 400)); f[body] == nil {
				t.Errorf("%v: fields %v", field, f)
			}
		}
		cs.admin.Do("POST", base, map[string]any{"key": "phone", "label": "Phone", "type": "text"}).Expect(t, 400)
		cs.admin.Do("POST", base, map[string]any{"key": "birthday", "label": "Again", "type": "text"}).Expect(t, 409)
		list := items(t, cs.admin.Do("GET", base, nil))
		var keys []string
		for _, f := range list {
			keys = append(keys, f["key"].(string))
		}
		if strings.Join(keys, ",") != "birthday,budget,tier,vip" {
			t.Fatalf("fields %v", keys)
		}
		tier := idOf(list[2])
		cs.admin.Do("PATCH", base+"/"+tier, map[string]any{"required": true}).Expect(t, 200)

		r := cs.admin.Do("POST", "/api/v1/contacts", map[string]any{"list_id": jsonID(cs.customers), "first_name": "Anna",
			"phone": "not a phone", "email": "anna@", "fields": map[string]any{"birthday": "31/12/1990", "budget": "lots",
				"vip": "maybe", "colour": "red"}}).Expect(t, 400)
		f := fields(t, r)
		for _, name := range []string{"phone", "email", "fields.birthday", "fields.budget", "fields.vip", "fields.colour", "fields.tier"} {
			if f[name] == nil {
				t.Errorf("no error on %s: %v", name, f)
			}
		}
		anna := cs.contact(t, cs.customers, map[string]any{"first_name": "Anna", "fields": map[string]any{"birthday": "1990-12-31",
			"budget": 1500, "tier": "silver", "vip": true}})
		got := anna["fields"].(map[string]any)
		if got["birthday"] != "1990-12-31" || got["budget"] != float64(1500) || got["tier"] != "Silver" || got["vip"] != true {
			t.Fatalf("values %v", got)
		}
		cs.admin.Do("PATCH", "/api/v1/contacts/"+idOf(anna), map[string]any{"fields": map[string]any{"tier": nil}}).Expect(t, 400)
		patched := cs.admin.Do("PATCH", "/api/v1/contacts/"+idOf(anna), map[string]any{"fields": map[string]any{"budget": nil}}).Expect(t, 200).Map(t)
		if _, ok := patched["fields"].(map[string]any)["budget"]; ok || patched["first_name"] != "Anna" {
			t.Fatalf("cleared budget %v", patched)
		}
		// Dropping an option drops the values that used it.
		cs.admin.Do("PATCH", base+"/"+tier, map[string]any{"options": []string{"Gold", "Bronze"}, "required": false}).Expect(t, 200)
		after := cs.admin.Do("GET", "/api/v1/contacts/"+idOf(anna), nil).Expect(t, 200).Map(t)
		if _, ok := after["fields"].(map[string]any)["tier"]; ok {
			t.Fatalf("a removed option survives: %v", after["fields"])
		}
		cs.admin.Do("DELETE", base+"/"+tier, nil).Expect(t, 204)
		cs.admin.Do("DELETE", base+"/"+tier, nil).Expect(t, 404)
	})
}

func TestContactSearchFindsPhonesWhateverTheirFormatting(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		cs := newContactSite(t, d)
		vip := cs.admin.Do("POST", "/api/v1/tags", map[string]any{"name": "VIP", "colour": "#ff0000"}).Expect(t, 201).Map(t)
		anna := cs.contact(t, cs.customers, map[string]any{"first_name": "Anna", "last_name": "Bianchi", "phone": "+39 333 123 4567",
			"company": "Acme Spa", "tag_ids": []any{vip["id"]}, "fields": map[string]any{"birthday": "1980-05-01", "budget": 100}})
		if anna["phone"] != "+393331234567" {
			t.Fatalf("stored phone %v", anna["phone"])
		}
		cs.contact(t, cs.customers, map[string]any{"first_name": "Bruno", "last_name": "Verdi", "mobile": "0039 347 7654321",
			"email": "Bruno.Verdi@Example.com", "fields": map[string]any{"birthday": "2001-01-01", "budget": 5000, "vip": true}})
		cs.contact(t, cs.suppliers, map[string]any{"first_name": "Carla", "last_name": "Neri", "company": "Bianchi Trasporti",
			"identities": []any{map[string]any{"kind": "whatsapp", "value": "+44 7700 900123"}}})

		for q, want := range map[string][]string{
			"0039 3331234567":         {"Anna"},
			"333-1234567":             {"Anna"},
			"+39 333 123 4567":        {"Anna"},
			"333 123":                 {"Anna"},
			"347 765":                 {"Bruno"},
			"+44 7700":                {"Carla"},
			"bianchi":                 {"Carla", "Anna"}, // newest first
			"anna bia":                {"Anna"},
			"an":                      {"Anna"},
			"a":                       nil, // one letter is a whole word
			"acme":                    {"Anna"},
			"bruno.verdi@example.com": {"Bruno"},
			"verdi":                   {"Bruno"},
			"zorro":                   nil,
		} {
			if got := names(t, cs.admin.Do("GET", "/api/v1/contacts?q="+url.QueryEscape(q), nil)); !slices.Equal(got, want) {
				t.Errorf("q=%q: %v, want %v", q, got, want)
			}
		}
		for query, want := range map[string][]string{
			"q=bianchi&sort=name":     {"Anna", "Carla"},
			"list_id=" + cs.suppliers: {"Carla"},
			"tag_id=" + idOf(vip):     {"Anna"},
			"where=" + url.QueryEscape("birthday:before:1990-01-01"):               {"Anna"},
			"where=" + url.QueryEscape("budget:greater:1000"):                      {"Bruno"},
			"where=" + url.QueryEscape("vip:equals:true"):                          {"Bruno"},
			"where=" + url.QueryEscape("email:set"):                                {"Bruno"},
			"where=" + url.QueryEscape("company:contains:bianchi"):                 {"Carla"},
			"where=" + url.QueryEscape("phone:equals:3331234567"):                  {"Anna"},
			"list_id=" + cs.customers + "&where=" + url.QueryEscape("vip:not_set"): {"Anna"},
			"sort=created&order=desc":                                              {"Carla", "Bruno", "Anna"},
		} {
			if got := names(t, cs.admin.Do("GET", "/api/v1/contacts?"+query, nil)); !slices.Equal(got, want) {
				t.Errorf("%s: %v, want %v", query, got, want)
			}
		}
		for _, bad := range []string{"where=birthday:greater:3", "where=budget:less:lots", "where=colour:equals:red",
			"sort=colour", "order=up", "cursor=abc", "limit=0", "tag_id=x"} {
			cs.admin.Do("GET", "/api/v1/contacts?"+bad, nil).Expect(t, 400)
		}
	})
}

func TestContactSearchPagesByKeysetWithoutGapsOrDuplicates(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		cs := newContactSite(t, d)
		var want []string
		for _, n := range []string{"Ugo", "Anna", "Zoe", "Marta", "anna", "Bea", "Carlo"} {
			c := cs.contact(t, cs.customers, map[string]any{"first_name": n})
			want = append(want, idOf(c))
		}
		for _, sortBy := range []string{"name", "created"} {
			for _, order := range []string{"asc", "desc"} {
				var got []string
				var seen []string
				cursor := ""
				for pages := 0; ; pages++ {
					p := cs.admin.Do("GET", "/api/v1/contacts?limit=3&sort="+sortBy+"&order="+order+"&cursor="+url.QueryEscape(cursor), nil).
						Expect(t, 200).Map(t)
					for _, c := range p["items"].([]any) {
						got = append(got, idOf(c.(map[string]any)))
						seen = append(seen, c.(map[string]any)["first_name"].(string))
					}
					next, _ := p["next_cursor"].(string)
					if next == "" || pages > 5 {
						break
					}
					cursor = next
				}
				if len(got) != len(want) {
					t.Fatalf("%s %s: %v", sortBy, order, seen)
				}
				sorted := slices.Clone(got)
				sort.Strings(sorted)
				if len(slices.Compact(sorted)) != len(want) {
					t.Fatalf("%s %s: duplicates %v", sortBy, order, seen)
				}
				if sortBy == "name" {
					lower := make([]string, len(seen))
					for n, s := range seen {
						lower[n] = strings.ToLower(s)
					}
					ok := slices.IsSorted(lower)
					if order == "desc" {
						slices.Reverse(lower)
						ok = slices.IsSorted(lower)
					}
					if !ok {
						t.Errorf("name %s: %v", order, seen)
					}
				}
			}
		}
		// A cursor from another order is refused.
		p := cs.admin.Do("GET", "/api/v1/contacts?limit=2&sort=name", nil).Expect(t, 200).Map(t)
		cs.admin.Do("GET", "/api/v1/contacts?sort=created&cursor="+url.QueryEscape(p["next_cursor"].(string)), nil).Expect(t, 400)
	})
}
