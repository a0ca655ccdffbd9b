package httpapi_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/switchboard-cc/switchboard/internal/app/apptest"
	"github.com/switchboard-cc/switchboard/internal/store"
	"github.com/switchboard-cc/switchboard/internal/store/storetest"
	"github.com/switchboard-cc/switchboard/internal/transcript/transcripttest"
)

// inbound creates an interaction on the site's queue the way an
// integration does, with a contact key, and returns its id.
func (cs *contactSite) inbound(t *testing.T, body map[string]any) string {
	t.Helper()
	body["queue_id"] = cs.queue["id"]
	return idOf(cs.admin.Do("POST", "/api/v1/interactions", body).Expect(t, 201).Map(t))
}

func contactOf(t *testing.T, c *apptest.Client, interactionID string) map[string]any {
	t.Helper()
	ref, _ := c.Do("GET", "/api/v1/interactions/"+interactionID, nil).Expect(t, 200).Map(t)["contact"].(map[string]any)
	return ref
}

func countContacts(t *testing.T, cs *contactSite) int {
	t.Helper()
	return len(items(t, cs.admin.Do("GET", "/api/v1/contacts?limit=200", nil)))
}

func TestContactAutoCreateForUnknownSubjectsAndLinkToKnownOnes(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		cs := newContactSite(t, d)
		site := "/api/v1/websites/" + cs.siteID
		// The trigger needs a list to create contacts in.
		if f := fields(t, cs.admin.Do("PATCH", site, map[string]any{"create_contacts": true}).Expect(t, 400)); f["default_list_id"] == nil {
			t.Fatalf("trigger without a list: %v", f)
		}
		// Trigger off: an unknown customer stays unknown.
		_, first := cs.startChat(t)
		if ref := contactOf(t, cs.admin, first); ref != nil || countContacts(t, cs) != 0 {
			t.Fatalf("a contact without the trigger: %v", ref)
		}
		w := cs.admin.Do("PATCH", site, map[string]any{"create_contacts": true, "default_list_id": jsonID(cs.customers)}).Expect(t, 200).Map(t)
		if w["create_contacts"] != true {
			t.Fatalf("website %v", w)
		}
		// Trigger on: Anna becomes a contact of the default list.
		_, second := cs.startChat(t)
		ref := contactOf(t, cs.admin, second)
		if ref == nil || ref["name"] != "Anna Bianchi" || idOf(map[string]any{"id": ref["list_id"]}) != cs.customers {
			t.Fatalf("created contact %v", ref)
		}
		anna := cs.admin.Do("GET", "/api/v1/contacts/"+idOf(ref), nil).Expect(t, 200).Map(t)
		if anna["first_name"] != "Anna" || anna["last_name"] != "Bianchi" || anna["email"] != "anna@example.com" {
			t.Fatalf("contact %v", anna)
		}
		if ids := anna["identities"].([]any); len(ids) != 1 || ids[0].(map[string]any)["value"] != "anna@example.com" {
			t.Fatalf("identities %v", ids)
		}
		// She is in the full-text index as a contact created by hand is.
		if found := items(t, cs.admin.Do("GET", "/api/v1/contacts?q=bianchi", nil)); len(found) != 1 || idOf(found[0]) != idOf(ref) {
			t.Fatalf("a search by her name finds %v", found)
		}
		// Known: her next chat finds her, nothing new is created.
		_, third := cs.startChat(t)
		if again := contactOf(t, cs.admin, third); again == nil || idOf(again) != idOf(ref) || countContacts(t, cs) != 1 {
			t.Fatalf("known subject: %v, %d contacts", again, countContacts(t, cs))
		}
		// An integration's contact key finds a contact by its phone, however
		// written, and lends the interaction the contact's name.
		bruno := cs.contact(t, cs.suppliers, map[string]any{"first_name": "Bruno", "last_name": "Verdi", "mobile": "+39 347 765 4321"})
		id := cs.inbound(t, map[string]any{"contact_key": "0039 347 7654321"})
		it := cs.admin.Do("GET", "/api/v1/interactions/"+id, nil).Expect(t, 200).Map(t)
		if it["contact_id"] != bruno["id"] || it["contact_name"] != "Bruno Verdi" || it["contact"].(map[string]any)["name"] != "Bruno Verdi" {
			t.Fatalf("linked by phone %v", it)
		}
		listed := listPage(t, cs.admin, "sort=id&order=desc&limit=1").Items[0]
		if listed["contact"].(map[string]any)["id"] != bruno["id"] {
			t.Fatalf("the list shows no contact: %v", listed)
		}
		// Without an account there is no trigger: an unknown key stays unknown.
		if id := cs.inbound(t, map[string]any{"contact_key": "nobody@example.com"}); contactOf(t, cs.admin, id) != nil {
			t.Fatal("a contact was created without an entry point")
		}
		var auto int
		for _, e := range items(t, cs.admin.Do("GET", "/api/v1/events?subject_type=contact", nil)) {
			if e["type"] == "contact.created" && e["data"].(map[string]any)["auto"] == true {
				auto++
			}
		}
		if auto != 1 {
			t.Fatalf("%d auto-created contacts in the log", auto)
		}
	})
}

func TestContactMergeMovesFieldsIdentitiesTagsAndInteractions(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		cs := newContactSite(t, d)
		vip := cs.admin.Do("POST", "/api/v1/tags", map[string]any{"name": "VIP", "colour": "#ff0000"}).Expect(t, 201).Map(t)
		gold := cs.admin.Do("POST", "/api/v1/tags", map[string]any{"name": "Gold", "colour": "#ffd700"}).Expect(t, 201).Map(t)
		keep := cs.contact(t, cs.customers, map[string]any{"first_name": "Anna", "last_name": "Bianchi", "phone": "333 1234567",
			"tag_ids": []any{vip["id"]}, "fields": map[string]any{"budget": 100}})
		dup := cs.contact(t, cs.customers, map[string]any{"first_name": "Annie", "email": "anna@example.com", "company": "Acme",
			"tag_ids": []any{gold["id"], vip["id"]}, "fields": map[string]any{"budget": 999, "tier": "Gold"},
			"identities": []any{map[string]any{"kind": "whatsapp", "value": "+39 333 111 2222"}}})
		other := cs.contact(t, cs.suppliers, map[string]any{"first_name": "Anna", "last_name": "Neri"})
		byPhone := cs.inbound(t, map[string]any{"contact_key": "+393331234567"})
		byEmail := cs.inbound(t, map[string]any{"contact_key": "anna@example.com"})
		if contactOf(t, cs.admin, byPhone)["id"] != keep["id"] || contactOf(t, cs.admin, byEmail)["id"] != dup["id"] {
			t.Fatal("the interactions are not linked to their contacts")
		}

		// The merge dialog finds the other contact by name, email or phone,
		// in the lists one may edit, never the contact itself.
		base := "/api/v1/contacts/" + idOf(keep)
		cs.grant(t, cs.customers, cs.marioID, "edit")
		cs.grant(t, cs.suppliers, cs.marioID, "read")
		for q, want := range map[string][]string{"anna": {idOf(dup)}, "annie": {idOf(dup)}, "anna@example.com": {idOf(dup)},
			"333 111 2222": {idOf(dup)}, "acme": nil} {
			var got []string
			for _, c := range items(t, cs.mario.Do("GET", base+"/merge-candidates?q="+url.QueryEscape(q), nil)) {
				got = append(got, idOf(c))
			}
			if !slices.Equal(got, want) {
				t.Errorf("merge candidates %q: %v, want %v", q, got, want)
			}
		}
		cs.mario.Do("GET", base+"/merge-candidates", nil).Expect(t, 400)
		cs.mario.Do("POST", base+"/merge", map[string]any{"other_id": other["id"]}).Expect(t, http.StatusForbidden)
		cs.mario.Do("POST", base+"/merge", map[string]any{"other_id": keep["id"]}).Expect(t, 400)

		merged := cs.mario.Do("POST", base+"/merge", map[string]any{"other_id": dup["id"]}).Expect(t, 200).Map(t)
		f := merged["fields"].(map[string]any)
		if merged["first_name"] != "Anna" || merged["email"] != "anna@example.com" || merged["company"] != "Acme" ||
			f["budget"] != float64(100) || f["tier"] != "Gold" {
			t.Fatalf("survivor %v", merged)
		}
		var tags, ids []string
		for _, x := range merged["tags"].([]any) {
			tags = append(tags, x.(map[string]any)["name"].(string))
		}
		for _, x := range merged["identities"].([]any) {
			ids = append(ids, x.(map[string]any)["kind"].(string)+":"+x.(map[string]any)["value"].(string))
		}
		if strings.Join(tags, ",") != "Gold,VIP" ||
			strings.Join(ids, ",") != "email:anna@example.com,phone:+393331234567,whatsapp:+393331112222" {
			t.Fatalf("tags %v identities %v", tags, ids)
		}
		cs.admin.Do("GET", "/api/v1/contacts/"+idOf(dup), nil).Expect(t, 404)
		if contactOf(t, cs.admin, byEmail)["id"] != keep["id"] {
			t.Fatal("the merged contact's interaction did not move")
		}
		journey := items(t, cs.admin.Do("GET", base+"/journey", nil))
		if len(journey) != 2 || idOf(journey[0]) != byPhone || idOf(journey[1]) != byEmail {
			t.Fatalf("journey after merge %v", journey)
		}
		// Its identities find the survivor from now on.
		if id := cs.inbound(t, map[string]any{"contact_key": "anna@example.com"}); contactOf(t, cs.admin, id)["id"] != keep["id"] {
			t.Fatal("the moved identity does not find the survivor")
		}
		evs := items(t, cs.admin.Do("GET", "/api/v1/events?subject_type=contact&subject_id="+idOf(keep), nil))
		last := evs[len(evs)-1]
		if last["type"] != "contact.merged" || last["data"].(map[string]any)["merged_id"] != dup["id"] ||
			last["data"].(map[string]any)["interactions_moved"] != float64(1) {
			t.Fatalf("merge event %v", last)
		}
	})
}

func TestContactCopyIntoAnotherListAndDelete(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		cs := newContactSite(t, d)
		vip := cs.admin.Do("POST", "/api/v1/tags", map[string]any{"name": "VIP", "colour": "#ff0000"}).Expect(t, 201).Map(t)
		cs.admin.Do("POST", "/api/v1/lists/"+cs.suppliers+"/fields", map[string]any{"key": "budget", "label": "Budget",
			"type": "number"}).Expect(t, 201)
		cs.admin.Do("POST", "/api/v1/lists/"+cs.suppliers+"/fields", map[string]any{"key": "vat", "label": "VAT number",
			"type": "text", "required": true}).Expect(t, 201)
		anna := cs.contact(t, cs.customers, map[string]any{"first_name": "Anna", "phone": "333 1234567", "tag_ids": []any{vip["id"]},
			"fields": map[string]any{"budget": 100, "tier": "Gold"}, "identities": []any{map[string]any{"kind": "email", "value": "anna@example.com"}}})
		base := "/api/v1/contacts/" + idOf(anna)
		if f := fields(t, cs.admin.Do("POST", base+"/copy", map[string]any{"list_id": jsonID(cs.suppliers)}).Expect(t, 400)); f["fields.vat"] == nil {
			t.Fatalf("the target's required field: %v", f)
		}
		cp := cs.admin.Do("POST", base+"/copy", map[string]any{"list_id": jsonID(cs.suppliers),
			"fields": map[string]any{"vat": "IT123"}}).Expect(t, 201).Map(t)
		f := cp["fields"].(map[string]any)
		if cp["id"] == anna["id"] || idOf(map[string]any{"id": cp["list_id"]}) != cs.suppliers || cp["phone"] != "+393331234567" ||
			f["budget"] != float64(100) || f["vat"] != "IT123" || f["tier"] != nil || len(cp["tags"].([]any)) != 1 ||
			len(cp["identities"].([]any)) != 0 {
			t.Fatalf("copy %v", cp)
		}
		cs.grant(t, cs.customers, cs.marioID, "read")
		cs.mario.Do("POST", base+"/copy", map[string]any{"list_id": jsonID(cs.suppliers)}).Expect(t, 400)

		// Deleting a contact keeps its interactions, without it.
		id := cs.inbound(t, map[string]any{"contact_key": "anna@example.com"})
		if contactOf(t, cs.admin, id)["id"] != anna["id"] {
			t.Fatal("not linked")
		}
		cs.admin.Do("DELETE", base, nil).Expect(t, 204)
		it := cs.admin.Do("GET", "/api/v1/interactions/"+id, nil).Expect(t, 200).Map(t)
		if it["contact_id"] != nil || it["contact"] != nil {
			t.Fatalf("after delete %v", it)
		}
		cs.admin.Do("DELETE", base, nil).Expect(t, 404)
	})
}

func TestMyContactsAreTheOnesTheAgentEditedOrServed(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		cs := newContactSite(t, d)
		anna := cs.contact(t, cs.customers, map[string]any{"first_name": "Anna"})
		bruno := cs.contact(t, cs.suppliers, map[string]any{"first_name": "Bruno", "email": "bruno@example.com"})
		cs.contact(t, cs.customers, map[string]any{"first_name": "Carla"})
		cs.grant(t, cs.customers, cs.marioID, "edit")
		if got := items(t, cs.mario.Do("GET", "/api/v1/me/contacts", nil)); len(got) != 0 {
			t.Fatalf("nothing managed yet: %v", got)
		}
		cs.mario.Do("PATCH", "/api/v1/contacts/"+idOf(anna), map[string]any{"company": "Acme"}).Expect(t, 200)
		// Serving an interaction of a contact makes it his, even in a list he
		// was not given: he may open it, not change it.
		cs.mario.Do("GET", "/api/v1/contacts/"+idOf(bruno), nil).Expect(t, http.StatusForbidden)
		cs.mario.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)
		id := cs.inbound(t, map[string]any{"contact_key": "bruno@example.com"})
		cs.mario.Do("POST", "/api/v1/interactions/"+id+"/accept", nil).Expect(t, 200)
		if got := names(t, cs.mario.Do("GET", "/api/v1/me/contacts", nil)); !slices.Equal(got, []string{"Anna", "Bruno"}) {
			t.Fatalf("my contacts %v", got)
		}
		if got := names(t, cs.mario.Do("GET", "/api/v1/me/contacts?list_id="+cs.suppliers, nil)); !slices.Equal(got, []string{"Bruno"}) {
			t.Fatalf("my contacts of Suppliers %v", got)
		}
		cs.mario.Do("GET", "/api/v1/contacts/"+idOf(bruno), nil).Expect(t, 200)
		cs.mario.Do("PATCH", "/api/v1/contacts/"+idOf(bruno), map[string]any{"company": "X"}).Expect(t, http.StatusForbidden)
		if got := items(t, cs.giula.Do("GET", "/api/v1/me/contacts", nil)); len(got) != 0 {
			t.Fatalf("giulia's %v", got)
		}
		cs.admin.Do("GET", "/api/v1/me/contacts", nil).Expect(t, http.StatusForbidden)
	})
}

func TestContactJourneyMarksWhatTheAgentMayOpen(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		cs := newContactSite(t, d)
		sales := cs.admin.Do("POST", "/api/v1/queues", map[string]any{"name": "Sales chat", "channel": "chat"}).Expect(t, 201).Map(t)
		disp := cs.admin.Do("POST", "/api/v1/dispositions", map[string]any{"name": "Solved"}).Expect(t, 201).Map(t)
		anna := cs.contact(t, cs.customers, map[string]any{"first_name": "Anna", "email": "anna@example.com"})
		cs.grant(t, cs.customers, cs.marioID, "read")
		cs.mario.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)
		first := cs.inbound(t, map[string]any{"contact_key": "anna@example.com", "subject": "First"})
		cs.mario.Do("POST", "/api/v1/interactions/"+first+"/accept", nil).Expect(t, 200)
		cs.mario.Do("POST", "/api/v1/interactions/"+first+"/close", map[string]any{"disposition_id": disp["id"]}).Expect(t, 200)
		cs.site.Clock.Advance(60e9)
		secret := idOf(cs.admin.Do("POST", "/api/v1/interactions", map[string]any{"queue_id": sales["id"],
			"contact_key": "anna@example.com", "subject": "Second"}).Expect(t, 201).Map(t))

		j := items(t, cs.mario.Do("GET", "/api/v1/contacts/"+idOf(anna)+"/journey", nil))
		if len(j) != 2 || idOf(j[0]) != first || idOf(j[1]) != secret {
			t.Fatalf("journey %v", j)
		}
		if j[0]["can_open"] != true || j[0]["status"] != "closed" || j[0]["channel"] != "chat" ||
			j[0]["disposition"].(map[string]any)["name"] != "Solved" || j[0]["agent"].(map[string]any)["name"] != "Mario Rossi" {
			t.Fatalf("first entry %v", j[0])
		}
		if j[1]["can_open"] != false || j[1]["agent"] != nil || j[1]["status"] != "waiting" {
			t.Fatalf("second entry %v", j[1])
		}
		cs.mario.Do("GET", "/api/v1/interactions/"+secret, nil).Expect(t, http.StatusForbidden)
		desc := items(t, cs.mario.Do("GET", "/api/v1/contacts/"+idOf(anna)+"/journey?order=desc&limit=1", nil))
		if len(desc) != 1 || idOf(desc[0]) != secret {
			t.Fatalf("newest first %v", desc)
		}
		cs.giula.Do("GET", "/api/v1/contacts/"+idOf(anna)+"/journey", nil).Expect(t, http.StatusForbidden)
	})
}

// importCSV uploads a CSV file for import.
func importCSV(t *testing.T, c *apptest.Client, list, data string, form map[string]string) *apptest.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if list != "" {
		_ = mw.WriteField("list_id", list)
	}
	for k, v := range form {
		_ = mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", "contacts.csv")
	_, _ = fw.Write([]byte(data))
	_ = mw.Close()
	return c.DoRaw("POST", "/api/v1/contact-imports", mw.FormDataContentType(), body.Bytes())
}

// finished waits for an import to end and returns it.
func finished(t *testing.T, c *apptest.Client, id string) map[string]any {
	t.Helper()
	var im map[string]any
	waitUntil(t, "the import", func() bool {
		im = c.Do("GET", "/api/v1/contact-imports/"+id, nil).Expect(t, 200).Map(t)
		return im["status"] != "running"
	})
	return im
}

func TestContactImportRejectsBadRowsWithReasons(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		cs := newContactSite(t, d)
		existing := cs.contact(t, cs.customers, map[string]any{"first_name": "Anna", "email": "anna@example.com", "company": "Acme"})
		prof := cs.admin.Do("POST", "/api/v1/user-profiles", map[string]any{"name": "Importers",
			"rights": map[string]any{"contacts": []string{"view", "read", "edit"}}, "list_ids": []any{jsonID(cs.customers)}}).Expect(t, 201).Map(t)
		cs.admin.Do("POST", "/api/v1/users", map[string]any{"username": "importer", "full_name": "Importer", "kind": "user",
			"password": "Temp-Pass1", "user_profile_id": prof["id"]}).Expect(t, 201)
		user := cs.site.Client(t)
		changeFirstPassword(t, user, "importer", "User-Pass222")
		ws, _, err := dialWS(t, cs.site, user, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer ws.CloseNow()
		readWS(t, ws) // hello

		file := "\xEF\xBB\xBFNome;Cognome;Telefono;Email;Tier;Budget\n" +
			"Anna;Bianchi;+39 333 123 4567;ANNA@example.com;Gold;100\n" + // 2: updates Anna (same email)
			"Bruno;Verdi;not-a-phone;bruno@example.com;Gold;10\n" + // 3: bad phone
			"Carla;Neri;347 1112223;carla@;Silver;5\n" + // 4: bad email
			"Dario;Gialli;347 9998887;dario@example.com;Platinum;7\n" + // 5: not an option
			"Elena;Rosa;0039 347 4445556;;Silver;abc\n" + // 6: not a number
			"Fabio;Blu;347 5556667;fabio@example.com;Gold;1\n" + // 7: created
			"Fabio;Blu;+39 347 555 6667;;;2\n" + // 8: the same phone: updates line 7
			"\"Gina \"\"G\"\"\";Viola;;gina@example.com;Silver;3\n" // 9: created
		r := importCSV(t, user, cs.suppliers, file, nil)
		if f := fields(t, r.Expect(t, 400)); f["list_id"] == nil {
			t.Fatalf("a list outside his profile: %v", f)
		}
		im := importCSV(t, user, cs.customers, file, nil).Expect(t, http.StatusAccepted).Map(t)
		if im["status"] != "running" || im["filename"] != "contacts.csv" {
			t.Fatalf("started %v", im)
		}
		done := finished(t, user, idOf(im))
		counts := done["counts"].(map[string]any)
		if done["status"] != "done" || done["failure"] != nil || counts["total"] != float64(8) || counts["processed"] != float64(8) ||
			counts["created"] != float64(2) || counts["updated"] != float64(2) || counts["rejected"] != float64(4) {
			t.Fatalf("import %v", done)
		}
		waitEvent(t, ws, "contact_import.finished")

		rep := user.Do("GET", "/api/v1/contact-imports/"+idOf(im)+"/rejected.csv", nil).Expect(t, 200)
		if !bytes.HasPrefix(rep.Body, []byte("\xEF\xBB\xBF")) || rep.Header.Get("Content-Type") != "text/csv; charset=utf-8" {
			t.Fatalf("report %q %v", rep.Body, rep.Header)
		}
		rows, err := csv.NewReader(bytes.NewReader(rep.Body[3:])).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		want := [][]string{{"line", "reason"}, {"3", "phone: is not a valid phone number"}, {"4", "email: is not a valid email address"},
			{"5", "Tier: must be one of the options"}, {"6", "Budget: must be a number"}}
		if len(rows) != len(want) {
			t.Fatalf("report rows %v", rows)
		}
		for n := range want {
			if rows[n][0] != want[n][0] || rows[n][1] != want[n][1] {
				t.Errorf("report row %d: %v, want %v", n, rows[n], want[n])
			}
		}
		anna := cs.admin.Do("GET", "/api/v1/contacts/"+idOf(existing), nil).Expect(t, 200).Map(t)
		if anna["last_name"] != "Bianchi" || anna["company"] != "Acme" || anna["phone"] != "+393331234567" ||
			anna["fields"].(map[string]any)["tier"] != "Gold" {
			t.Fatalf("updated contact %v", anna)
		}
		fabio := items(t, cs.admin.Do("GET", "/api/v1/contacts?q=fabio", nil))
		if len(fabio) != 1 || fabio[0]["email"] != "fabio@example.com" || fabio[0]["fields"].(map[string]any)["budget"] != float64(2) {
			t.Fatalf("fabio %v", fabio)
		}
		if got := names(t, cs.admin.Do("GET", "/api/v1/contacts?q=viola", nil)); !slices.Equal(got, []string{`Gina "G"`}) {
			t.Fatalf("gina %v", got)
		}

		// An explicit mapping for a file without header; bad requests.
		im = importCSV(t, user, cs.customers, "Hugo,+39 02 1234 5678\n", map[string]string{"header": "false",
			"mapping": `["first_name","phone"]`}).Expect(t, http.StatusAccepted).Map(t)
		if c := finished(t, user, idOf(im))["counts"].(map[string]any); c["created"] != float64(1) {
			t.Fatalf("headerless import %v", c)
		}
		for name, form := range map[string]map[string]string{
			"mapping":   {"header": "false"},
			"mapping.1": {"mapping": `["first_name","first_name"]`},
			"delimiter": {"delimiter": "#"},
		} {
			if f := fields(t, importCSV(t, user, cs.customers, "a,b\n", form).Expect(t, 400)); f[name] == nil {
				t.Errorf("%v: fields %v", form, f)
			}
		}
		importCSV(t, user, "", "a\n", nil).Expect(t, 400)
		cs.mario.DoRaw("POST", "/api/v1/contact-imports", "text/csv", []byte("x")).Expect(t, http.StatusForbidden)
		cs.admin.Do("GET", "/api/v1/contact-imports/"+idOf(im), nil).Expect(t, 200)
		other := cs.site.Client(t)
		cs.admin.Do("POST", "/api/v1/users", map[string]any{"username": "other", "full_name": "Other", "kind": "user",
			"password": "Temp-Pass1", "user_profile_id": prof["id"]}).Expect(t, 201)
		changeFirstPassword(t, other, "other", "User-Pass222")
		other.Do("GET", "/api/v1/contact-imports/"+idOf(im), nil).Expect(t, http.StatusForbidden)
	})
}

func TestContactImportAddsTheTagsItNames(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		cs := newContactSite(t, d)
		vip := cs.admin.Do("POST", "/api/v1/tags", map[string]any{"name": "VIP", "colour": "#ffaa00"}).Expect(t, 201).Map(t)
		gold := cs.admin.Do("POST", "/api/v1/tags", map[string]any{"name": "Gold customer", "colour": "#ddbb00"}).Expect(t, 201).Map(t)
		file := "Nome,Telefono,Tags\n" +
			"Anna,+39 333 100 0001,\"vip; Gold customer\"\n" + // 2: both tags, names ignoring case
			"Bruno,+39 333 100 0002,\n" + // 3: none
			"Carla,+39 333 100 0003,VIP;Platinum\n" + // 4: no tag Platinum: rejected, naming it
			"Anna B,+39 333 100 0001,VIP\n" // 5: updates Anna, her tags kept
		im := importCSV(t, cs.admin, cs.customers, file, nil).Expect(t, http.StatusAccepted).Map(t)
		done := finished(t, cs.admin, idOf(im))
		counts := done["counts"].(map[string]any)
		if done["status"] != "done" || counts["created"] != float64(2) || counts["updated"] != float64(1) || counts["rejected"] != float64(1) {
			t.Fatalf("import %v", done)
		}
		rep := cs.admin.Do("GET", "/api/v1/contact-imports/"+idOf(im)+"/rejected.csv", nil).Expect(t, 200)
		rows, err := csv.NewReader(bytes.NewReader(rep.Body[3:])).ReadAll()
		if err != nil || len(rows) != 2 || rows[1][0] != "4" || rows[1][1] != "tags: names Platinum, which is not a tag" {
			t.Fatalf("report %v %v", rows, err)
		}
		tagged := items(t, cs.admin.Do("GET", "/api/v1/contacts?list_id="+cs.customers+
			"&tag_id="+idOf(gold), nil))
		if len(tagged) != 1 || tagged[0]["first_name"] != "Anna B" {
			t.Fatalf("tagged gold: %v", tagged)
		}
		var tagNames []string
		for _, tag := range tagged[0]["tags"].([]any) {
			tagNames = append(tagNames, tag.(map[string]any)["name"].(string))
		}
		slices.Sort(tagNames)
		if !slices.Equal(tagNames, []string{"Gold customer", "VIP"}) {
			t.Fatalf("Anna's tags %v", tagNames)
		}
		if vipped := items(t, cs.admin.Do("GET", "/api/v1/contacts?tag_id="+idOf(vip), nil)); len(vipped) != 1 {
			t.Fatalf("tagged vip: %v", vipped)
		}
	})
}

// secrets are Anna's data, which a masked agent must never see whole.
var secrets = []string{"Bianchi", "anna@example", "1234567", "4567"}

func leaks(body []byte) string {
	for _, s := range secrets {
		if bytes.Contains(body, []byte(s)) {
			return s
		}
	}
	return ""
}

func TestContactDataIsMaskedInEveryAnswerToAMaskedAgent(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		cs := newContactSite(t, d)
		cs.admin.Do("PATCH", "/api/v1/agents/"+cs.marioID, map[string]any{"mask_sensitive_data": true,
			"permissions": map[string]any{"download_transcripts": true}}).Expect(t, 200)
		cs.admin.Do("PATCH", "/api/v1/websites/"+cs.siteID, map[string]any{"create_contacts": true,
			"default_list_id": jsonID(cs.customers), "online_form": []any{
				map[string]any{"name": "name", "label": "Name", "type": "text", "required": true},
				map[string]any{"name": "email", "label": "Email", "type": "email", "required": true},
				map[string]any{"name": "phone", "label": "Phone", "type": "phone"},
			}}).Expect(t, 200)
		cs.grant(t, cs.customers, cs.marioID, "edit")
		cs.grant(t, cs.customers, cs.giuliaID, "read")
		cs.contact(t, cs.customers, map[string]any{"first_name": "Annalisa", "last_name": "Bianchi", "company": "Acme"})
		ws, _, err := dialWS(t, cs.site, cs.mario, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer ws.CloseNow()
		readWS(t, ws) // hello
		cs.mario.Do("POST", "/api/v1/me/login", map[string]any{}).Expect(t, 200)

		m := cs.widget(t, "POST", cs.path("chats", nil), shopOrigin, map[string]any{"fields": map[string]string{
			"name": "Anna Bianchi", "email": "anna@example.com", "phone": "+39 333 1234567"}}, nil).Expect(t, 201).Map(t)
		chat := idOf(map[string]any{"id": m["interaction_id"]})
		created := waitEvent(t, ws, "interaction.created")
		if s := leaks(created.Data); s != "" {
			t.Errorf("the realtime event shows %q: %s", s, created.Data)
		}
		cs.mario.Do("POST", "/api/v1/interactions/"+chat+"/accept", nil).Expect(t, 200)
		anna := contactOf(t, cs.admin, chat)
		id := idOf(anna)
		cs.admin.Do("PATCH", "/api/v1/contacts/"+id, map[string]any{"mobile": "+39 347 1234567",
			"identities": []any{map[string]any{"kind": "email", "value": "anna@example.com"},
				map[string]any{"kind": "whatsapp", "value": "+39 333 1234567"}}}).Expect(t, 200)
		id2 := cs.inbound(t, map[string]any{"contact_key": "+393331234567", "contact_name": "Anna Bianchi"})
		cs.mario.Do("POST", "/api/v1/interactions/"+id2+"/accept", nil).Expect(t, 200)

		// Every answer that carries Anna's data, to Mario: masked.
		for _, path := range []string{
			"/api/v1/contacts",
			"/api/v1/contacts?q=anna",
			"/api/v1/contacts?q=" + url.QueryEscape("333 1234567"),
			"/api/v1/contacts/" + id,
			"/api/v1/contacts/" + id + "/journey",
			"/api/v1/contacts/" + id + "/merge-candidates?q=bianchi",
			"/api/v1/contacts/export.csv",
			"/api/v1/me/contacts",
			"/api/v1/interactions",
			"/api/v1/interactions?q=anna",
			"/api/v1/interactions/" + chat,
			"/api/v1/interactions/" + id2,
			"/api/v1/me/interactions",
		} {
			r := cs.mario.Do("GET", path, nil).Expect(t, 200)
			if s := leaks(r.Body); s != "" {
				t.Errorf("%s shows %q to a masked agent: %s", path, s, r.Body)
			}
			if !bytes.Contains(r.Body, []byte("*")) {
				t.Errorf("%s masks nothing: %s", path, r.Body)
			}
		}
		// And every answer to what he writes.
		twin := cs.mario.Do("POST", "/api/v1/contacts", map[string]any{"list_id": jsonID(cs.customers), "first_name": "Anna",
			"last_name": "Bianchi", "email": "anna.b@example.com", "phone": "+39 333 7654567"}).Expect(t, 201)
		for name, r := range map[string]*apptest.Response{
			"create": twin,
			"edit":   cs.mario.Do("PATCH", "/api/v1/contacts/"+id, map[string]any{"company": "Acme"}).Expect(t, 200),
			"copy":   cs.mario.Do("POST", "/api/v1/contacts/"+id+"/copy", map[string]any{"list_id": jsonID(cs.customers)}).Expect(t, 201),
			"merge": cs.mario.Do("POST", "/api/v1/contacts/"+id+"/merge", map[string]any{"other_id": twin.Map(t)["id"]}).
				Expect(t, 200),
		} {
			if s := leaks(r.Body); s != "" || !bytes.Contains(r.Body, []byte("*")) {
				t.Errorf("the %s answer shows %q: %s", name, s, r.Body)
			}
		}
		view := cs.mario.Do("GET", "/api/v1/interactions/"+chat, nil).Expect(t, 200).Map(t)
		form := view["form"].(map[string]any)
		// "Anna" is hidden whole (4 characters), "Bianchi" keeps "Bia".
		if form["name"].(map[string]any)["value"] != "**** Bia****" {
			t.Errorf("form name %v", form["name"])
		}
		if form["email"].(map[string]any)["value"] != "****@example.com" || form["phone"].(map[string]any)["value"] != "+39 333 123****" {
			t.Errorf("form %v", form)
		}
		pdf := transcripttest.Read(t, cs.mario.Do("GET", "/api/v1/interactions/"+chat+"/transcript.pdf", nil).Expect(t, 200).Body)
		if s := leaks([]byte(strings.Join(pdf, "\n"))); s != "" {
			t.Errorf("the transcript shows %q", s)
		}

		// Giulia does not mask: she sees it all.
		full := cs.giula.Do("GET", "/api/v1/contacts/"+id, nil).Expect(t, 200).Map(t)
		if full["last_name"] != "Bianchi" || full["email"] != "anna@example.com" || full["phone"] != "+393331234567" {
			t.Fatalf("unmasked %v", full)
		}
		// The masked agent still finds her by what he types.
		if got := items(t, cs.mario.Do("GET", "/api/v1/contacts?q=anna@example.com", nil)); len(got) != 2 { // Anna and her copy
			t.Fatalf("search by email %v", got)
		}
		var decoded map[string]any
		_ = json.Unmarshal(created.Data, &decoded)
		if decoded["contact_name"] != "**** Bia****" {
			t.Errorf("event contact_name %v", decoded["contact_name"])
		}
	})
}
