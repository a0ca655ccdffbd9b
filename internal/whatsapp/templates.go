package whatsapp

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/outbox"
)

// Templates are the only messages WhatsApp lets a business send outside
// the 24-hour customer service window (window.go). Each account has its
// own: synced from Meta (GET /{waba-id}/message_templates) or defined by
// an admin (for Twilio, with its Content SID as ProviderID). Agents see
// those "available for agents" that the provider approved.

// Template is a message template of an account.
type Template struct {
	ID        int64  `json:"id"`
	AccountID int64  `json:"account_id"`
	Name      string `json:"name"`
	Language  string `json:"language"` // the provider's code: en_US, it
	Category  string `json:"category"` // MARKETING, UTILITY, AUTHENTICATION
	// Body is the text with its parameters {{1}}, {{2}}…
	Body               string    `json:"body"`
	ParameterCount     int       `json:"parameter_count"`
	AvailableForAgents bool      `json:"available_for_agents"`
	Status             string    `json:"status"`      // approved, pending, rejected, paused, disabled
	ProviderID         string    `json:"provider_id"` // Twilio's ContentSid; Meta's template id
	CreatedAt          time.Time `json:"created_at"`
	UpdatedAt          time.Time `json:"updated_at"`
}

// TemplateApproved is the one status a template can be sent in.
const TemplateApproved = "approved"

var (
	templateNameRe = regexp.MustCompile(`^[a-z0-9_]{1,512}$`)
	languageRe     = regexp.MustCompile(`^[a-z]{2,3}(_[A-Za-z]{2,4})?$`)
	parameterRe    = regexp.MustCompile(`\{\{\s*([0-9]+)\s*\}\}`)
	statuses       = map[string]bool{"approved": true, "pending": true, "rejected": true, "paused": true, "disabled": true}
)

// maxTemplateBody is WhatsApp's limit on a template's body.
const maxTemplateBody = 1024

// Validate normalises a template and checks it, naming each bad field;
// ParameterCount is counted from the body.
func (t *Template) Validate(f apperr.FieldErrors) {
	t.Name, t.Language = strings.TrimSpace(t.Name), strings.TrimSpace(t.Language)
	t.Category, t.ProviderID = strings.ToUpper(strings.TrimSpace(t.Category)), strings.TrimSpace(t.ProviderID)
	t.Status = strings.ToLower(strings.TrimSpace(t.Status))
	if t.Status == "" {
		t.Status = TemplateApproved
	}
	switch {
	case t.Name == "":
		f.Add("name", "field.required")
	case !templateNameRe.MatchString(t.Name):
		f.Add("name", "template.name_invalid")
	}
	switch {
	case t.Language == "":
		f.Add("language", "field.required")
	case !languageRe.MatchString(t.Language):
		f.Add("language", "template.language_invalid")
	}
	if !statuses[t.Status] {
		f.Add("status", "template.status_invalid")
	}
	switch n, err := CountParameters(t.Body); {
	case strings.TrimSpace(t.Body) == "":
		f.Add("body", "field.required")
	case utf8.RuneCountInString(t.Body) > maxTemplateBody:
		f.Add("body", "field.too_long", maxTemplateBody)
	case err != nil:
		f.Add("body", "template.parameters_gap")
	default:
		t.ParameterCount = n
	}
}

// CountParameters counts a body's parameters, which must be numbered 1 to
// n without a gap (the same one may appear twice).
func CountParameters(body string) (int, error) {
	seen := map[int]bool{}
	for _, m := range parameterRe.FindAllStringSubmatch(body, -1) {
		n, err := strconv.Atoi(m[1])
		if err != nil || n < 1 {
			return 0, fmt.Errorf("whatsapp: parameter {{%s}}", m[1])
		}
		seen[n] = true
	}
	for i := 1; i <= len(seen); i++ {
		if !seen[i] {
			return 0, fmt.Errorf("whatsapp: parameter {{%d}} is missing", i)
		}
	}
	return len(seen), nil
}

// maxParameterChars bounds one parameter's text.
const maxParameterChars = 1024

// Render fills the body's parameters, which must be exactly
// ParameterCount non-blank texts: the text the customer reads, stored as
// the message's body.
func (t *Template) Render(params []string) (string, error) {
	if len(params) != t.ParameterCount {
		return "", apperr.Field("parameters", "template.parameter_count", t.ParameterCount)
	}
	for i, p := range params {
		if strings.TrimSpace(p) == "" || strings.ContainsAny(p, "\n\t") || utf8.RuneCountInString(p) > maxParameterChars {
			// WhatsApp refuses blank parameters and new lines or tabs in them.
			return "", apperr.Field("parameters", "template.parameter_invalid", i+1)
		}
	}
	return parameterRe.ReplaceAllStringFunc(t.Body, func(m string) string {
		n, _ := strconv.Atoi(parameterRe.FindStringSubmatch(m)[1])
		return params[n-1]
	}), nil
}

// Ref is how the outbox sends the template with params.
func (t *Template) Ref(params []string) *outbox.TemplateRef {
	return &outbox.TemplateRef{Name: t.Name, Language: t.Language, ProviderID: t.ProviderID, Parameters: params}
}

// metaTemplates is a page of the Graph API's message_templates.
type metaTemplates struct {
	Data []struct {
		ID         string `json:"id"`
		Name       string `json:"name"`
		Language   string `json:"language"`
		Category   string `json:"category"`
		Status     string `json:"status"`
		Components []struct {
			Type string `json:"type"`
			Text string `json:"text"`
		} `json:"components"`
	} `json:"data"`
	Paging struct {
		Next string `json:"next"`
	} `json:"paging"`
}

// maxTemplatePages bounds a sync (100 templates a page).
const maxTemplatePages = 50

// FetchMetaTemplates reads every template of the account's WhatsApp
// Business Account from the Graph API, following its pages. Only Meta
// accounts have them there (Twilio's are defined by an admin).
func FetchMetaTemplates(ctx context.Context, client *http.Client, a *Account) ([]Template, error) {
	if a.Provider != Meta {
		return nil, apperr.New(apperr.Invalid, "template.sync_meta_only")
	}
	if client == nil {
		client = http.DefaultClient
	}
	next := a.APIBase() + "/" + GraphVersion + "/" + url.PathEscape(a.BusinessAccountID) +
		"/message_templates?fields=id,name,language,category,status,components&limit=100"
	var out []Template
	for page := 0; next != "" && page < maxTemplatePages; page++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, next, nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Authorization", "Bearer "+a.Secrets.AccessToken)
		s := &Sender{HTTP: client}
		body, err := s.call(req, metaFailure)
		if err != nil {
			if reason, final := outbox.IsRejected(err); final {
				return nil, apperr.New(apperr.Unavailable, "template.sync_refused", reason)
			}
			return nil, apperr.New(apperr.Unavailable, "template.sync_failed")
		}
		var p metaTemplates
		if err := json.Unmarshal(body, &p); err != nil {
			return nil, apperr.New(apperr.Unavailable, "template.sync_failed")
		}
		for _, d := range p.Data {
			t := Template{AccountID: a.ID, Name: d.Name, Language: d.Language, Category: d.Category,
				Status: strings.ToLower(d.Status), ProviderID: d.ID}
			for _, c := range d.Components {
				if strings.EqualFold(c.Type, "BODY") {
					t.Body = c.Text
				}
			}
			f := apperr.FieldErrors{}
			if t.Validate(f); f.Err() != nil {
				continue // a template we cannot send (no body, odd parameters): left out
			}
			out = append(out, t)
		}
		next = p.Paging.Next
	}
	return out, nil
}
