package webchat

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/clock"
	"github.com/switchboard-cc/switchboard/internal/conversation"
)

func TestOnlyTheListedOriginsAreAllowed(t *testing.T) {
	allowed := []string{"https://shop.example.com", "http://localhost:8080", "https://blog.example.com:443"}
	cases := []struct {
		origin string
		want   bool
	}{
		{"https://shop.example.com", true},
		{"HTTPS://Shop.Example.com", true},
		{"https://shop.example.com:443", true}, // the default port, written out
		{"http://localhost:8080", true},
		{"https://blog.example.com", true}, // listed with its default port
		{"http://shop.example.com", false}, // another scheme
		{"https://shop.example.com:8443", false},
		{"https://www.shop.example.com", false}, // no subdomains
		{"https://example.com", false},
		{"http://localhost", false},
		{"null", false}, // a sandboxed frame or a file
		{"", false},
		{"https://shop.example.com.evil.net", false},
	}
	for _, c := range cases {
		if got := OriginAllowed(allowed, c.origin); got != c.want {
			t.Errorf("%q: %v, want %v", c.origin, got, c.want)
		}
	}
	if OriginAllowed(nil, "https://shop.example.com") || OriginAllowed([]string{}, "https://shop.example.com") {
		t.Error("an empty list allowed an origin")
	}
}

func fieldsOf(t *testing.T, err error) map[string]string {
	t.Helper()
	ae, ok := err.(*apperr.Error)
	if !ok || ae.Code != apperr.Invalid {
		t.Fatalf("want an invalid error, got %v", err)
	}
	out := map[string]string{}
	for k, m := range ae.Fields {
		out[k] = m.Key
	}
	return out
}

var testForm = []conversation.FormField{
	{Name: "name", Label: "Name", Type: conversation.FieldText, Required: true},
	{Name: "email", Label: "Email", Type: conversation.FieldEmail, Required: true},
	{Name: "phone", Label: "Phone", Type: conversation.FieldPhone},
	{Name: "topic", Label: "Topic", Type: conversation.FieldSelect, Options: []string{"Sales", "Support"}},
	{Name: "message", Label: "Message", Type: conversation.FieldTextarea},
}

func TestFormFieldsAreCheckedAndNamed(t *testing.T) {
	cases := []struct {
		name   string
		values map[string]string
		want   map[string]string
	}{
		{"nothing sent", nil, map[string]string{"fields.name": "field.required", "fields.email": "field.required"}},
		{"blank is missing", map[string]string{"name": "  ", "email": "a@b.it"}, map[string]string{"fields.name": "field.required"}},
		{"bad email", map[string]string{"name": "Anna", "email": "anna at example"}, map[string]string{"fields.email": "email.invalid"}},
		{"bad phone", map[string]string{"name": "Anna", "email": "a@b.it", "phone": "call me"}, map[string]string{"fields.phone": "phone.invalid"}},
		{"too few digits", map[string]string{"name": "Anna", "email": "a@b.it", "phone": "12-3"}, map[string]string{"fields.phone": "phone.invalid"}},
		{"not an option", map[string]string{"name": "Anna", "email": "a@b.it", "topic": "Billing"}, map[string]string{"fields.topic": "form.not_an_option"}},
		{"unknown field", map[string]string{"name": "Anna", "email": "a@b.it", "age": "40"}, map[string]string{"fields.age": "form.unknown_field"}},
		{"too long", map[string]string{"name": strings.Repeat("é", MaxValueChars+1), "email": "a@b.it"}, map[string]string{"fields.name": "field.too_long"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := CheckFields(testForm, c.values)
			got := fieldsOf(t, err)
			if len(got) != len(c.want) {
				t.Fatalf("fields %v, want %v", got, c.want)
			}
			for k, v := range c.want {
				if got[k] != v {
					t.Fatalf("fields %v, want %v", got, c.want)
				}
			}
		})
	}
}

func TestGoodFieldsComeBackInTheFormsOrder(t *testing.T) {
	a, err := CheckFields(testForm, map[string]string{"message": " Hello ", "email": "anna@example.com", "name": " Anna Bianchi ",
		"phone": "+39 (02) 123-4567", "topic": "Support"})
	if err != nil {
		t.Fatal(err)
	}
	names := []string{}
	for _, x := range a {
		names = append(names, x.Name)
	}
	if strings.Join(names, ",") != "name,email,phone,topic,message" || a.Value("name") != "Anna Bianchi" || a.Value("message") != "Hello" {
		t.Fatalf("answers %+v", a)
	}
	if ContactName(a) != "Anna Bianchi" {
		t.Fatalf("contact name %q", ContactName(a))
	}
	if k := ContactKey(testForm, Answers{{Name: "email", Value: "Anna@Example.com"}, {Name: "phone", Value: "+39 02 123"}}); k != "anna@example.com" {
		t.Fatalf("contact key by email %q", k)
	}
	if k := ContactKey(testForm, Answers{{Name: "phone", Value: "+39 (02) 123-4567"}}); k != "+39021234567" {
		t.Fatalf("contact key by phone %q", k)
	}
	if k := ContactKey(testForm, Answers{{Name: "name", Value: "Anna"}}); k != "" {
		t.Fatalf("contact key of nobody %q", k)
	}
	b, _ := json.Marshal(a[:2])
	if string(b) != `{"name":{"label":"Name","value":"Anna Bianchi"},"email":{"label":"Email","value":"anna@example.com"}}` {
		t.Fatalf("json %s", b)
	}
	// Optional fields left empty are dropped.
	a, err = CheckFields(testForm, map[string]string{"name": "Anna", "email": "a@b.it", "phone": ""})
	if err != nil || len(a) != 2 {
		t.Fatalf("%v %+v", err, a)
	}
	if b, _ := json.Marshal(Answers(nil)); string(b) != "null" {
		t.Fatalf("nil answers %s", b)
	}
	if b, _ := json.Marshal(Answers{}); string(b) != "{}" {
		t.Fatalf("empty answers %s", b)
	}
}

func TestTokensAreStoredHashedAndCompared(t *testing.T) {
	token, hash := NewToken()
	other, _ := NewToken()
	if len(token) < 40 || token == other || hash == token || HashToken(token) != hash {
		t.Fatalf("token %q hash %q", token, hash)
	}
	if !TokenMatches(token, hash) || TokenMatches(other, hash) || TokenMatches("", hash) {
		t.Fatal("token comparison")
	}
}

func TestLimitsReopenAsTheWindowPasses(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC))
	l := NewLimits(clk)
	for i := 0; i < 5; i++ {
		if ok, _ := l.Chats.Take("10.0.0.1"); !ok {
			t.Fatalf("chat %d refused", i+1)
		}
	}
	ok, wait := l.Chats.Take("10.0.0.1")
	if ok || wait != 2*time.Minute {
		t.Fatalf("sixth chat: %v, retry after %v", ok, wait)
	}
	if ok, _ := l.Chats.Take("10.0.0.2"); !ok {
		t.Fatal("another address shares the allowance")
	}
	clk.Advance(time.Minute)
	if ok, wait := l.Chats.Take("10.0.0.1"); ok || wait != time.Minute {
		t.Fatalf("half-way: %v %v", ok, wait)
	}
	clk.Advance(time.Minute)
	if ok, _ := l.Chats.Take("10.0.0.1"); !ok {
		t.Fatal("not reopened after the window's share")
	}
}

func TestScaledLimitsMultiplyTheAllowanceOverTheSameWindow(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC))
	l := NewScaledLimits(clk, 100)
	for i := 0; i < 500; i++ {
		if ok, _ := l.Chats.Take("10.0.0.1"); !ok {
			t.Fatalf("chat %d refused", i+1)
		}
	}
	if ok, wait := l.Chats.Take("10.0.0.1"); ok || wait != 1200*time.Millisecond {
		t.Fatalf("chat 501: %v, retry after %v", ok, wait)
	}
	if l := NewScaledLimits(clk, 0); l.Messages == nil {
		t.Fatal("scale 0 builds no limiter")
	}
}

func TestAgentsShowTheirFirstName(t *testing.T) {
	if AgentName("Mario Rossi", "mario.rossi") != "Mario" || AgentName("  ", "mario.rossi") != "mario.rossi" {
		t.Fatal("agent name")
	}
}
