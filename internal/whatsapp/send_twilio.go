package whatsapp

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/switchboard-cc/switchboard/internal/outbox"
)

// Sending through Twilio's Messages API: POST
// /2010-04-01/Accounts/{AccountSid}/Messages.json with basic auth and a
// form (To and From as whatsapp:+…, Body, MediaUrl — a URL Twilio fetches
// the file from —, StatusCallback, and ContentSid with ContentVariables
// for a template). Twilio has no reply context for WhatsApp: a reply goes
// as a plain message.

// twilioError is Twilio's error answer.
type twilioError struct {
	Code     int    `json:"code"`
	Message  string `json:"message"`
	MoreInfo string `json:"more_info"`
}

// twilioFailure reads a Twilio error for the agent: its message and code.
func twilioFailure(status int, body []byte) (string, bool) {
	var e twilioError
	if json.Unmarshal(body, &e) != nil || e.Message == "" {
		return fmt.Sprintf("HTTP %d", status), false
	}
	// 20429: too many requests, whatever the status says.
	return fmt.Sprintf("%s (%d)", e.Message, e.Code), e.Code == 20429
}

func (s *Sender) sendTwilio(ctx context.Context, out outgoing) (string, error) {
	a := out.account
	form := url.Values{"To": {"whatsapp:" + out.to}}
	if strings.HasPrefix(a.Sender, "MG") {
		form.Set("MessagingServiceSid", a.Sender)
	} else {
		form.Set("From", a.Sender)
	}
	if s.StatusCallback != nil {
		if cb := s.StatusCallback(a); cb != "" {
			form.Set("StatusCallback", cb)
		}
	}
	switch {
	case out.payload.Template != nil:
		t := out.payload.Template
		if t.ProviderID == "" {
			return "", &outbox.Rejected{Reason: "the template " + t.Name + " has no Twilio Content SID"}
		}
		form.Set("ContentSid", t.ProviderID)
		if len(t.Parameters) > 0 {
			vars := map[string]string{}
			for i, p := range t.Parameters {
				vars[strconv.Itoa(i+1)] = p
			}
			raw, _ := json.Marshal(vars)
			form.Set("ContentVariables", string(raw))
		}
	default:
		if out.body != "" {
			form.Set("Body", out.body)
		}
		if out.file != nil {
			if s.MediaURL == nil {
				return "", &outbox.Rejected{Reason: "files cannot be sent: the site has no public address"}
			}
			form.Set("MediaUrl", s.MediaURL(out.fileID))
		}
	}
	endpoint := a.APIBase() + "/2010-04-01/Accounts/" + url.PathEscape(a.AccountSID) + "/Messages.json"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return "", &outbox.Rejected{Reason: "bad provider address: " + err.Error()}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(a.AccountSID, a.Secrets.AuthToken)
	body, err := s.call(req, twilioFailure)
	if err != nil {
		return "", err
	}
	var answer struct {
		SID string `json:"sid"`
	}
	if err := json.Unmarshal(body, &answer); err != nil || answer.SID == "" {
		return "", &outbox.Rejected{Reason: errNoID.Error()}
	}
	return answer.SID, nil
}
