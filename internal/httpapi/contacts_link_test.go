package httpapi_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/switchboard-cc/switchboard/internal/store"
	"github.com/switchboard-cc/switchboard/internal/store/storetest"
)

// identityValues lists a contact's identities as kind:value.
func identityValues(t *testing.T, cs *contactSite, contactID string) []string {
	t.Helper()
	var out []string
	for _, x := range cs.admin.Do("GET", "/api/v1/contacts/"+contactID, nil).Expect(t, 200).Map(t)["identities"].([]any) {
		m := x.(map[string]any)
		out = append(out, m["kind"].(string)+":"+m["value"].(string))
	}
	return out
}

func TestTheOwnerLinksAnUnknownCustomerToAContactWhoseIdentityItBecomes(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		cs := newContactSite(t, d)
		private := idOf(cs.admin.Do("POST", "/api/v1/lists", map[string]any{"name": "Private"}).Expect(t, 201).Map(t))
		anna := cs.contact(t, cs.customers, map[string]any{"first_name": "Anna", "last_name": "Bianchi"})
		hidden := cs.contact(t, private, map[string]any{"first_name": "Hidden"})
		cs.grant(t, cs.customers, cs.marioID, "read")
		cs.mario.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)
		id := cs.inbound(t, map[string]any{"contact_key": "anna@example.com"})
		if contactOf(t, cs.admin, id) != nil {
			t.Fatal("an unknown customer has a contact")
		}
		path := "/api/v1/interactions/" + id + "/contact"
		// Before he accepts it, it is not his to change; nor is it Giulia's.
		cs.mario.Do("PUT", path, map[string]any{"contact_id": anna["id"]}).Expect(t, http.StatusForbidden)
		cs.mario.Do("POST", "/api/v1/interactions/"+id+"/accept", nil).Expect(t, 200)
		cs.giula.Do("PUT", path, map[string]any{"contact_id": anna["id"]}).Expect(t, http.StatusForbidden)

		// Bad input names the field; a contact he may not read is refused.
		for _, body := range []map[string]any{{}, {"contact_id": 0}, {"contact_id": 999999}} {
			if f := fields(t, cs.mario.Do("PUT", path, body).Expect(t, 400)); f["contact_id"] == nil {
				t.Fatalf("%v: fields %v", body, f)
			}
		}
		cs.mario.Do("PUT", path, map[string]any{"contact_id": hidden["id"]}).Expect(t, http.StatusForbidden)
		if contactOf(t, cs.admin, id) != nil {
			t.Fatal("a refused link was stored")
		}

		it := cs.mario.Do("PUT", path, map[string]any{"contact_id": anna["id"]}).Expect(t, 200).Map(t)
		if it["contact_id"] != anna["id"] || it["contact"].(map[string]any)["name"] != "Anna Bianchi" {
			t.Fatalf("linked interaction %v", it)
		}
		if got := identityValues(t, cs, idOf(anna)); !slices.Equal(got, []string{"email:anna@example.com"}) {
			t.Fatalf("anna's identities %v", got)
		}
		if got := names(t, cs.mario.Do("GET", "/api/v1/me/contacts", nil)); !slices.Equal(got, []string{"Anna"}) {
			t.Fatalf("my contacts %v", got)
		}
		j := items(t, cs.mario.Do("GET", "/api/v1/contacts/"+idOf(anna)+"/journey", nil))
		if len(j) != 1 || idOf(j[0]) != id {
			t.Fatalf("journey %v", j)
		}
		var linked []map[string]any
		for _, e := range items(t, cs.admin.Do("GET", "/api/v1/events?subject_type=interaction", nil)) {
			if e["type"] == "interaction.contact_linked" {
				linked = append(linked, e["data"].(map[string]any))
			}
		}
		if len(linked) != 1 || linked[0]["contact_id"] != anna["id"] || idOf(map[string]any{"id": linked[0]["agent_id"]}) != cs.marioID {
			t.Fatalf("events %v", linked)
		}

		// Her next interaction finds her by itself.
		next := cs.inbound(t, map[string]any{"contact_key": "anna@example.com"})
		if ref := contactOf(t, cs.admin, next); ref == nil || ref["id"] != anna["id"] {
			t.Fatalf("next interaction's contact %v", ref)
		}
	})
}

func TestRelinkingMovesTheKeyFromTheWrongContactButNeverTakesAnothersIdentity(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		cs := newContactSite(t, d)
		anna := cs.contact(t, cs.customers, map[string]any{"first_name": "Anna", "identities": []any{
			map[string]any{"kind": "email", "value": "shared@example.com"}}})
		bruno := cs.contact(t, cs.customers, map[string]any{"first_name": "Bruno"})
		id := cs.inbound(t, map[string]any{"contact_key": "shared@example.com"})
		if ref := contactOf(t, cs.admin, id); ref == nil || ref["id"] != anna["id"] {
			t.Fatalf("found %v", ref)
		}
		// The admin (no owner needed) says it was Bruno: the key follows him.
		cs.admin.Do("PUT", "/api/v1/interactions/"+id+"/contact", map[string]any{"contact_id": bruno["id"]}).Expect(t, 200)
		if a, b := identityValues(t, cs, idOf(anna)), identityValues(t, cs, idOf(bruno)); len(a) != 0 ||
			!slices.Equal(b, []string{"email:shared@example.com"}) {
			t.Fatalf("anna %v, bruno %v", a, b)
		}
		// Linking another interaction of that key to Carla leaves it with
		// Bruno: it was not Bruno this interaction was linked to.
		other := cs.inbound(t, map[string]any{"contact_key": "+39 333 1234567"})
		carla := cs.contact(t, cs.customers, map[string]any{"first_name": "Carla"})
		cs.admin.Do("PATCH", "/api/v1/contacts/"+idOf(bruno), map[string]any{"identities": []any{
			map[string]any{"kind": "email", "value": "shared@example.com"}, map[string]any{"kind": "phone", "value": "+393331234567"}}}).Expect(t, 200)
		cs.admin.Do("PUT", "/api/v1/interactions/"+other+"/contact", map[string]any{"contact_id": carla["id"]}).Expect(t, 200)
		if got := identityValues(t, cs, idOf(carla)); len(got) != 0 {
			t.Fatalf("carla took %v", got)
		}
		if ref := contactOf(t, cs.admin, other); ref == nil || ref["id"] != carla["id"] {
			t.Fatalf("other's contact %v", ref)
		}
	})
}
