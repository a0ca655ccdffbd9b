package contacts

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/clock"
)

var it = Phones{Region: "IT"}

func TestPhoneNumbersMatchWhateverTheirFormatting(t *testing.T) {
	for _, in := range []string{"+39 333 123 4567", "0039 3331234567", "333-1234567", "(333) 123.4567", "+393331234567"} {
		got, ok := it.Normalise(in)
		if !ok || got != "+393331234567" {
			t.Errorf("Normalise(%q) = %q, %v", in, got, ok)
		}
	}
	// Written the international way with separators, a number reads as the
	// parser reads it, the shortcut taken or not.
	for in, want := range map[string]string{"+44 7700 900-123": "+447700900123", "+1 212.555.0123": "+12125550123",
		"+49 151/2345 6789": "+4915123456789", "+39 02 1234 5678": "+390212345678", "+44 020 7946 0018": "+442079460018",
		"+44 (0)20 7946 0018": "+442079460018", "+39 333 12a 4567": ""} {
		if got, _ := it.Normalise(in); got != want {
			t.Errorf("Normalise(%q) = %q, want %q", in, got, want)
		}
	}
	if got, ok := (Phones{Region: "GB"}).Normalise("07700 900123"); !ok || got != "+447700900123" {
		t.Errorf("GB national number: %q %v", got, ok)
	}
	if got, ok := it.Normalise("06 1234 5678"); !ok || got != "+390612345678" {
		t.Errorf("an Italian landline keeps its 0: %q %v", got, ok)
	}
	for _, bad := range []string{"hello", "12", "+39 abc", "mario@example.com"} {
		if got, ok := it.Normalise(bad); ok {
			t.Errorf("Normalise(%q) accepted as %q", bad, got)
		}
	}
	if got, ok := it.Normalise("  "); !ok || got != "" {
		t.Errorf("empty is no number: %q %v", got, ok)
	}
}

func TestSearchPrefixReadsTheStartOfANumber(t *testing.T) {
	for in, want := range map[string]string{
		"333 123":        "+39333123",
		"+39 333 1":      "+393331",
		"0039 333 1":     "+393331",
		"333-1234567":    "+393331234567",
		"333 12":         "", // too short a start
		"Mario":          "",
		"mario@test.com": "",
	} {
		if got := it.SearchPrefix(in); got != want {
			t.Errorf("SearchPrefix(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMaskerHidesTheConfiguredNumberOfCharacters(t *testing.T) {
	m := Masker{Chars: 4}
	for _, c := range []struct{ kind, in, want string }{
		{MaskPhone, "+393331234567", "+39333123****"},
		{MaskPhone, "+39 333 123 4567", "+39 333 123 ****"},
		{MaskEmail, "mario.rossi@example.com", "mario.r****@example.com"},
		{MaskEmail, "bo@example.com", "**@example.com"},
		{MaskName, "Mario Rossi", "M**** R****"},
		{MaskName, "Al", "**"},
		{MaskKey, "mario@example.com", "m****@example.com"},
		{MaskKey, "+393331234567", "+39333123****"},
		{MaskHandle, "visitor-42", "visito****"},
		{MaskName, "", ""},
	} {
		if got := m.Mask(c.kind, c.in); got != c.want {
			t.Errorf("Mask(%s, %q) = %q, want %q", c.kind, c.in, got, c.want)
		}
	}
	if got := (Masker{Chars: 64}).Mask(MaskPhone, "+393331234567"); got != "+************" {
		t.Errorf("64 hides the whole number: %q", got)
	}
	if got := (Masker{}).Mask(MaskName, "Mario"); got != "Mario" {
		t.Errorf("0 hides nothing: %q", got)
	}
}

type answer struct {
	Value string
}

func (a *answer) MaskSensitive(mask func(kind, value string) string) {
	a.Value = mask(MaskEmail, a.Value)
}

type page struct {
	Items []*Contact
	Refs  map[string]any
	Named struct {
		Name string `mask:"name"`
	}
	Plain  string
	Ptr    *string `mask:"phone"`
	Form   []answer
	hidden string
}

func TestMaskerApplyReachesTaggedFieldsEverywhere(t *testing.T) {
	phone := "+393331234567"
	p := &page{
		Items: []*Contact{{FirstName: "Mario", LastName: "Rossi", Company: "ACME", Phone: "+393331234567",
			Email: "mario@example.com", Identities: []Identity{{Kind: KindWhatsApp, Value: "+393331234567"},
				{Kind: KindEmail, Value: "mario@example.com"}}}},
		Refs:   map[string]any{"contact": Ref{ID: 1, Name: "Mario Rossi"}, "n": 3, "list": []any{&Ref{Name: "Anna Bianchi"}}},
		Plain:  "Mario",
		Ptr:    &phone,
		Form:   []answer{{Value: "anna@example.com"}},
		hidden: "Mario",
	}
	p.Named.Name = "Luca Verdi"
	Masker{Chars: 3}.Apply(map[string]any{"page": p})
	c := p.Items[0]
	if c.FirstName != "Ma***" || c.LastName != "Ro***" || c.Company != "ACME" || c.Phone != "+393331234***" ||
		c.Email != "ma***@example.com" {
		t.Fatalf("contact %+v", c)
	}
	if c.Identities[0].Value != "+393331234***" || c.Identities[1].Value != "ma***@example.com" {
		t.Fatalf("identities %+v", c.Identities)
	}
	if p.Refs["contact"].(Ref).Name != "Ma*** Ro***" || p.Refs["list"].([]any)[0].(*Ref).Name != "A*** Bian***" {
		t.Fatalf("refs %+v", p.Refs)
	}
	if p.Named.Name != "L*** Ve***" || p.Plain != "Mario" || *p.Ptr != "+393331234***" || phone != "+393331234567" {
		t.Fatalf("page %+v", p)
	}
	if p.Form[0].Value != "a***@example.com" {
		t.Fatalf("form %+v", p.Form)
	}
}

func TestMaskerApplyJSONMasksContactKeysOfEventData(t *testing.T) {
	raw := json.RawMessage(`{"interaction_id":5,"contact_name":"Mario Rossi","contact_key":"mario@example.com","agent":{"full_name":"Luca"}}`)
	var got map[string]any
	if err := json.Unmarshal(Masker{Chars: 4}.ApplyJSON(raw), &got); err != nil {
		t.Fatal(err)
	}
	if got["contact_name"] != "M**** R****" || got["contact_key"] != "m****@example.com" ||
		got["agent"].(map[string]any)["full_name"] != "Luca" || got["interaction_id"] != float64(5) {
		t.Fatalf("masked %v", got)
	}
}

func fieldsFixture() []Field {
	return []Field{
		{ID: 1, Key: "birthday", Type: TypeDate},
		{ID: 2, Key: "budget", Type: TypeNumber},
		{ID: 3, Key: "tier", Type: TypeSelect, Options: []string{"Gold", "Silver"}, Required: true},
		{ID: 4, Key: "vip", Type: TypeCheckbox},
		{ID: 5, Key: "notes", Type: TypeText},
	}
}

func str(s string) *string { return &s }

func TestEditValidatesCustomFieldsByTypeAndRequiredOnes(t *testing.T) {
	defs := fieldsFixture()
	c := &Contact{Fields: map[string]any{}}
	_, err := it.Edit(c, Input{FirstName: str("Mario"), Fields: map[string]any{"birthday": "31/12/1990", "budget": "lots",
		"vip": "maybe", "colour": "red"}}, defs)
	var ae *apperr.Error
	if !asAppErr(err, &ae) {
		t.Fatalf("want field errors, got %v", err)
	}
	want := map[string]string{"fields.birthday": "value.date", "fields.budget": "value.number", "fields.vip": "value.checkbox",
		"fields.colour": "field.unknown", "fields.tier": "field.required"}
	for f, key := range want {
		if ae.Fields[f].Key != key {
			t.Errorf("%s: %v, want %s", f, ae.Fields[f], key)
		}
	}
	c = &Contact{Fields: map[string]any{}}
	values, err := it.Edit(c, Input{FirstName: str(" Mario "), Phone: str("333 123 4567"), Email: str("Mario@Example.COM"),
		Fields: map[string]any{"birthday": "1990-12-31", "budget": 1200.5, "tier": "gold", "vip": true}}, defs)
	if err != nil {
		t.Fatal(err)
	}
	if c.FirstName != "Mario" || c.Phone != "+393331234567" || c.Email != "mario@example.com" {
		t.Fatalf("contact %+v", c)
	}
	if values[1] != "1990-12-31" || values[2] != "1200.5" || values[3] != "Gold" || values[4] != "true" {
		t.Fatalf("values %v", values)
	}
	if c.Fields["budget"] != 1200.5 || c.Fields["vip"] != true || c.Fields["tier"] != "Gold" {
		t.Fatalf("fields %v", c.Fields)
	}
	// Clearing a required field is refused; an empty contact too.
	if _, err := it.Edit(c, Input{Fields: map[string]any{"tier": nil}}, defs); !asAppErr(err, &ae) || ae.Fields["fields.tier"].Key != "field.required" {
		t.Fatalf("clearing a required field: %v", err)
	}
	if _, err := it.Edit(&Contact{}, Input{}, nil); !asAppErr(err, &ae) || ae.Fields["first_name"].Key != "contact.empty" {
		t.Fatalf("empty contact: %v", err)
	}
}

func asAppErr(err error, ae **apperr.Error) bool {
	if e, ok := err.(*apperr.Error); ok {
		*ae = e
		return true
	}
	return false
}

func TestIdentitiesAreNormalisedPerKind(t *testing.T) {
	ids, fe := it.NormaliseIdentities([]Identity{{Kind: KindWhatsApp, Value: "0039 333 1234567"},
		{Kind: KindEmail, Value: " Mario@Example.com "}, {Kind: KindEmail, Value: "mario@example.com"},
		{Kind: KindOpenChannel, Value: "fb:12345"}})
	if fe != nil || len(ids) != 3 || ids[0].Value != "+393331234567" || ids[1].Value != "mario@example.com" {
		t.Fatalf("%v %v", ids, fe)
	}
	if _, fe := it.NormaliseIdentities([]Identity{{Kind: "fax", Value: "1"}, {Kind: KindPhone, Value: "abc"}}); fe["identities.0"].Key == "" || fe["identities.1"].Key == "" {
		t.Fatalf("bad identities: %v", fe)
	}
}

func TestSubjectOfAnInboundInteraction(t *testing.T) {
	s := it.Subject("chat", "mario@example.com", "Mario De Rossi", []string{"Mario@example.com"}, []string{"333 1234567"})
	if len(s.Identities) != 2 || s.Identities[0] != (Identity{KindEmail, "mario@example.com"}) ||
		s.Identities[1] != (Identity{KindPhone, "+393331234567"}) {
		t.Fatalf("subject %+v", s)
	}
	c := s.NewContact(7)
	if c.FirstName != "Mario" || c.LastName != "De Rossi" || c.Phone != "+393331234567" || c.Email != "mario@example.com" || c.ListID != 7 {
		t.Fatalf("new contact %+v", c)
	}
	// WhatsApp ids are international numbers without their +.
	if s := it.Subject("whatsapp", "393331234567", "", nil, nil); len(s.Identities) != 1 ||
		s.Identities[0] != (Identity{KindWhatsApp, "+393331234567"}) {
		t.Fatalf("whatsapp subject %+v", s)
	}
	if s := it.Subject("openchannel", "fb:999", "", nil, nil); len(s.Identities) != 1 || s.Identities[0].Kind != KindOpenChannel {
		t.Fatalf("open channel subject %+v", s)
	}
	if s := it.Subject("chat", "", "Anonymous", nil, nil); !s.Empty() {
		t.Fatalf("no identity: %+v", s)
	}
}

func TestConditionsAreCheckedAgainstTheListFields(t *testing.T) {
	defs := fieldsFixture()
	for in, want := range map[string]Condition{
		"birthday:before:2000-01-01": {Field: "birthday", Type: TypeDate, Op: OpBefore, Value: "2000-01-01"},
		"budget:greater:1000":        {Field: "budget", Type: TypeNumber, Op: OpGreater, Value: "1000"},
		"tier:equals:gold":           {Field: "tier", Type: TypeSelect, Op: OpEquals, Value: "gold"},
		"vip:set":                    {Field: "vip", Type: TypeCheckbox, Op: OpSet},
		"phone:equals:333 1234567":   {Field: "phone", Standard: true, Type: "phone", Op: OpEquals, Value: "+393331234567"},
		"email:contains:EXAMPLE":     {Field: "email", Standard: true, Type: "email", Op: OpContains, Value: "example"},
		"notes:contains:a:b":         {Field: "notes", Type: TypeText, Op: OpContains, Value: "a:b"},
	} {
		got, bad := it.ParseCondition(in, defs)
		if bad != nil || got != want {
			t.Errorf("%s: %+v %v", in, got, bad)
		}
	}
	for in, key := range map[string]string{
		"birthday:greater:3": "condition.operator",
		"budget:less:many":   "value.number",
		"colour:equals:red":  "condition.unknown_field",
		"birthday":           "condition.invalid",
		"notes:equals":       "condition.value",
	} {
		if _, bad := it.ParseCondition(in, defs); bad == nil || bad.Key != key {
			t.Errorf("%s: %v, want %s", in, bad, key)
		}
	}
	mixed := append(defs, Field{ID: 9, ListID: 2, Key: "budget", Type: TypeText})
	if _, bad := it.ParseCondition("budget:greater:1", mixed); bad == nil || bad.Key != "condition.ambiguous" {
		t.Errorf("a key of two types: %v", bad)
	}
}

func TestImportRowsMapColumnsAndAutoTargetsReadTheHeader(t *testing.T) {
	defs := fieldsFixture()
	targets := AutoTargets([]string{"Nome", "Cognome", "Telefono", "E-mail", "Tier", "Something"}, defs)
	if strings.Join(targets, ",") != "first_name,last_name,phone,email,tier," {
		t.Fatalf("targets %v", targets)
	}
	if err := CheckTargets([]string{"first_name", "first_name"}, defs); err == nil {
		t.Fatal("a field mapped twice passes")
	}
	if err := CheckTargets([]string{"", ""}, defs); err == nil {
		t.Fatal("nothing mapped passes")
	}
	row := it.importRow(3, []string{"Anna", "Bianchi", "abc", "anna@", "Gold"}, Import{ListID: 1, Targets: targets, Fields: defs})
	if row.Contact != nil || row.Reasons["phone"].Key != "phone.invalid" || row.Reasons["email"].Key != "email.invalid" || row.Line != 3 {
		t.Fatalf("bad row %+v", row)
	}
	row = it.importRow(4, []string{"Anna", "Bianchi", "333 7654321", "anna@example.com", "silver", "x"},
		Import{ListID: 1, Targets: targets, Fields: defs})
	if row.Reasons != nil || row.Contact.Phone != "+393337654321" || row.Values[3] != "Silver" {
		t.Fatalf("good row %+v", row)
	}
}

// fakeImportStore records what an import hands the store; each batch
// takes batchTime on clk (when set).
type fakeImportStore struct {
	clk       *clock.Fake
	batchTime time.Duration
	total     int
	batches   []int
	announced []int // rows done when progress was announced
	done      int
	rows      []ImportRow
	failure   *apperr.Message
}

func (f *fakeImportStore) ImportStarted(_ context.Context, _ int64, total int) error {
	f.total = total
	return nil
}

func (f *fakeImportStore) ImportBatch(_ context.Context, _, _ int64, rows []ImportRow, announce bool) error {
	if f.clk != nil {
		f.clk.Advance(f.batchTime)
	}
	f.batches = append(f.batches, len(rows))
	f.rows = append(f.rows, rows...)
	f.done += len(rows)
	if announce {
		f.announced = append(f.announced, f.done)
	}
	return nil
}

func (f *fakeImportStore) ImportFinished(_ context.Context, _ int64, failure *apperr.Message) error {
	f.failure = failure
	return nil
}

func phoneRows(n int) string {
	var b strings.Builder
	b.WriteString("first_name;phone\n")
	for i := range n {
		fmt.Fprintf(&b, "N%d;+3933%08d\n", i, i)
	}
	return b.String()
}

func TestASmallImportMovesTheProgressBarSeveralTimes(t *testing.T) {
	// 3,000 rows: batches of 200 (a twentieth, at least 200), each taking
	// 120 ms; progress after the first and then at most every 200 ms.
	clk := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	st := &fakeImportStore{clk: clk, batchTime: 120 * time.Millisecond}
	err := it.Run(context.Background(), st, Import{ID: 1, ListID: 1, Header: true, Clock: clk}, strings.NewReader(phoneRows(3000)))
	if err != nil || st.failure != nil {
		t.Fatalf("run: %v %v", err, st.failure)
	}
	if st.total != 3000 || st.done != 3000 || len(st.batches) != 15 || st.batches[0] != 200 {
		t.Fatalf("total %d, done %d, batches %v", st.total, st.done, st.batches)
	}
	if fmt.Sprint(st.announced) != "[200 600 1000 1400 1800 2200 2600 3000]" {
		t.Fatalf("announced at %v", st.announced)
	}
}

func TestAFixedBatchSizeIsKept(t *testing.T) {
	st := &fakeImportStore{}
	err := it.Run(context.Background(), st, Import{ID: 1, ListID: 1, Header: true, BatchRows: 4000}, strings.NewReader(phoneRows(25000)))
	if err != nil || st.failure != nil {
		t.Fatalf("run: %v %v", err, st.failure)
	}
	// The real clock: a fake store's batches take no time, so only the
	// first is announced before 200 ms pass.
	if st.total != 25000 || st.done != 25000 || fmt.Sprint(st.batches) != "[4000 4000 4000 4000 4000 4000 1000]" ||
		len(st.announced) == 0 || st.announced[0] != 4000 {
		t.Fatalf("total %d, done %d, batches %v, announced at %v", st.total, st.done, st.batches, st.announced)
	}
	// A header that names no field fails the import, saying why.
	st = &fakeImportStore{}
	if err := it.Run(context.Background(), st, Import{ID: 1, ListID: 1, Header: true}, strings.NewReader("a,b\nx,y\n")); err == nil ||
		st.failure == nil || st.failure.Key != "import.mapping" {
		t.Fatalf("unmapped file: %v %v", err, st.failure)
	}
}

func TestBatchesShrinkWhenTheyHoldTheWriterTooLongAndGrowBack(t *testing.T) {
	for _, c := range []struct{ total, want int }{{100, 200}, {3000, 200}, {100_000, 5000}, {1_000_000, 25000}} {
		if got := newBatchSizer(c.total, 0).size(); got != c.want {
			t.Errorf("%d rows: batches of %d, want %d", c.total, got, c.want)
		}
	}
	b := newBatchSizer(1_000_000, 0)
	b.took(25000, 6*time.Second) // twice batchTarget
	if b.size() != 12500 {
		t.Fatalf("after a slow batch: %d", b.size())
	}
	b.took(12500, 2*time.Second) // about right: kept
	if b.size() != 12500 {
		t.Fatalf("after a fitting batch: %d", b.size())
	}
	b.took(12500, time.Second) // quick: doubles, up to the first size
	b.took(25000, time.Second)
	if b.size() != 25000 {
		t.Fatalf("after quick batches: %d", b.size())
	}
	b.took(200, time.Minute) // never below minBatchRows
	if b.size() != minBatchRows {
		t.Fatalf("after a very slow batch: %d", b.size())
	}
}

func TestAnImportedRowGetsTheTagsItNamesAndAnUnknownTagRejectsIt(t *testing.T) {
	file := "first_name,tags\n" +
		"Anna,VIP; gold ,vip\n" + // both tags, each once, names ignoring case
		"Bruno,\n" + // no tags
		"Carla,gold;Platinum\n" // not a tag: rejected, naming it
	st := &fakeImportStore{}
	err := it.Run(context.Background(), st, Import{ID: 1, ListID: 1, Header: true, Tags: map[string]int64{"vip": 7, "gold": 9}},
		strings.NewReader(file))
	if err != nil || st.failure != nil || len(st.rows) != 3 {
		t.Fatalf("run: %v %v %d rows", err, st.failure, len(st.rows))
	}
	if r := st.rows[0]; r.Reasons != nil || fmt.Sprint(r.TagIDs) != "[7 9]" {
		t.Fatalf("Anna: %+v", r)
	}
	if r := st.rows[1]; r.Reasons != nil || len(r.TagIDs) != 0 {
		t.Fatalf("Bruno: %+v", r)
	}
	r := st.rows[2]
	if r.Contact != nil || r.Reasons[TagsTarget].Key != "import.tag_unknown" || fmt.Sprint(r.Reasons[TagsTarget].Args) != "[Platinum]" {
		t.Fatalf("Carla: %+v", r)
	}
	if targets := AutoTargets([]string{"Nome", "Tags"}, nil); targets[1] != TagsTarget || CheckTargets(targets, nil) != nil {
		t.Fatalf("tags column: %v %v", targets, CheckTargets(targets, nil))
	}
}

func TestUnknownKeyIsEchoedCutBetweenCharacters(t *testing.T) {
	long := strings.Repeat("è", 45) // two bytes each: 40 bytes would split the 20th
	for in, want := range map[string]string{
		"colour":                       "colour",
		long:                           strings.Repeat("è", 40),
		strings.Repeat("a", 39) + "€x": strings.Repeat("a", 39) + "€",
	} {
		got := shortKey(in)
		if got != want || !utf8.ValidString(got) {
			t.Errorf("shortKey(%q) = %q, want %q", in, got, want)
		}
	}
	_, bad := Phones{Region: "IT"}.ParseCondition(long+":equals:x", nil)
	if bad == nil || bad.Key != "condition.unknown_field" || bad.Args[0] != strings.Repeat("è", 40) {
		t.Errorf("a long unknown key: %+v", bad)
	}
}
