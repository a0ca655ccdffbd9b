package whatsapp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"

	"github.com/switchboard-cc/switchboard/internal/outbox"
)

// Sending through Meta's WhatsApp Cloud API: POST
// /{version}/{phone-number-id}/messages with the access token, a file
// uploaded first (POST /{version}/{phone-number-id}/media) and sent by its
// media id, a reply quoting the customer's message (context.message_id).

// metaSend is the body of a messages request.
type metaSend struct {
	Product       string        `json:"messaging_product"`
	RecipientType string        `json:"recipient_type"`
	To            string        `json:"to"`
	Type          string        `json:"type"`
	Context       *metaContext  `json:"context,omitempty"`
	Text          *metaText     `json:"text,omitempty"`
	Image         *metaMediaRef `json:"image,omitempty"`
	Audio         *metaMediaRef `json:"audio,omitempty"`
	Video         *metaMediaRef `json:"video,omitempty"`
	Document      *metaMediaRef `json:"document,omitempty"`
	Template      *metaTemplate `json:"template,omitempty"`
}

type metaContext struct {
	MessageID string `json:"message_id"`
}

type metaText struct {
	Body       string `json:"body"`
	PreviewURL bool   `json:"preview_url"`
}

type metaMediaRef struct {
	ID       string `json:"id"`
	Caption  string `json:"caption,omitempty"`
	Filename string `json:"filename,omitempty"`
}

type metaTemplate struct {
	Name       string              `json:"name"`
	Language   metaLanguage        `json:"language"`
	Components []metaTemplateBlock `json:"components,omitempty"`
}

type metaLanguage struct {
	Code string `json:"code"`
}

type metaTemplateBlock struct {
	Type       string          `json:"type"`
	Parameters []metaParameter `json:"parameters"`
}

type metaParameter struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

// metaError is the Graph API's error answer.
type metaError struct {
	Error struct {
		Message      string `json:"message"`
		Type         string `json:"type"`
		Code         int    `json:"code"`
		ErrorSubcode int    `json:"error_subcode"`
		ErrorData    struct {
			Details string `json:"details"`
		} `json:"error_data"`
	} `json:"error"`
}

// metaThrottled are Graph error codes that mean "too many, try later"
// even when the HTTP status is 400: the app's, the account's and the
// number pair's rate limits.
var metaThrottled = map[int]bool{4: true, 80007: true, 130429: true, 131048: true, 131056: true}

// metaFailure reads a Graph error for the agent: the message, the
// details when they add something, and the code.
func metaFailure(status int, body []byte) (string, bool) {
	var e metaError
	if json.Unmarshal(body, &e) != nil || e.Error.Message == "" {
		return fmt.Sprintf("HTTP %d", status), false
	}
	reason := e.Error.Message
	if d := e.Error.ErrorData.Details; d != "" && !strings.Contains(reason, d) {
		reason += ": " + d
	}
	return fmt.Sprintf("%s (#%d)", reason, e.Error.Code), metaThrottled[e.Error.Code]
}

func (s *Sender) metaURL(a *Account, what string) string {
	return a.APIBase() + "/" + GraphVersion + "/" + a.PhoneNumberID + "/" + what
}

func (s *Sender) sendMeta(ctx context.Context, out outgoing) (string, error) {
	msg := metaSend{Product: "whatsapp", RecipientType: "individual", To: digits(out.to)}
	if out.payload.ReplyTo != "" {
		msg.Context = &metaContext{MessageID: out.payload.ReplyTo}
	}
	switch {
	case out.payload.Template != nil:
		msg.Type, msg.Template = "template", metaTemplateOf(out.payload.Template)
	case out.file != nil:
		id, err := s.uploadMeta(ctx, out.account, out.file)
		if err != nil {
			return "", err
		}
		kind := OutboundKind(out.file.ContentType)
		ref := &metaMediaRef{ID: id, Caption: out.body}
		msg.Type = kind
		switch kind {
		case KindImage:
			msg.Image = ref
		case KindVideo:
			msg.Video = ref
		case KindAudio:
			ref.Caption = "" // WhatsApp shows no caption on audio
			msg.Audio = ref
		default:
			ref.Filename = out.file.Name
			msg.Document = ref
		}
	default:
		msg.Type, msg.Text = "text", &metaText{Body: out.body}
	}
	raw, err := json.Marshal(msg)
	if err != nil {
		return "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.metaURL(out.account, "messages"), bytes.NewReader(raw))
	if err != nil {
		return "", &outbox.Rejected{Reason: "bad provider address: " + err.Error()}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+out.account.Secrets.AccessToken)
	body, err := s.call(req, metaFailure)
	if err != nil {
		return "", err
	}
	var answer struct {
		Messages []struct {
			ID string `json:"id"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(body, &answer); err != nil || len(answer.Messages) == 0 || answer.Messages[0].ID == "" {
		return "", &outbox.Rejected{Reason: errNoID.Error()}
	}
	return answer.Messages[0].ID, nil
}

// metaTemplateOf is a template with its body parameters.
func metaTemplateOf(t *outbox.TemplateRef) *metaTemplate {
	mt := &metaTemplate{Name: t.Name, Language: metaLanguage{Code: t.Language}}
	if len(t.Parameters) > 0 {
		block := metaTemplateBlock{Type: "body"}
		for _, p := range t.Parameters {
			block.Parameters = append(block.Parameters, metaParameter{Type: "text", Text: p})
		}
		mt.Components = []metaTemplateBlock{block}
	}
	return mt
}

// uploadMeta uploads a file to the number's media and returns its id.
func (s *Sender) uploadMeta(ctx context.Context, a *Account, f *File) (string, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("messaging_product", "whatsapp")
	_ = mw.WriteField("type", f.ContentType)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", multipart.FileContentDisposition("file", f.Name))
	h.Set("Content-Type", f.ContentType)
	part, err := mw.CreatePart(h)
	if err != nil {
		return "", err
	}
	if _, err := part.Write(f.Data); err != nil {
		return "", err
	}
	if err := mw.Close(); err != nil {
		return "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.metaURL(a, "media"), &buf)
	if err != nil {
		return "", &outbox.Rejected{Reason: "bad provider address: " + err.Error()}
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+a.Secrets.AccessToken)
	body, err := s.call(req, metaFailure)
	if err != nil {
		return "", err
	}
	var answer struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(body, &answer); err != nil || answer.ID == "" {
		return "", fmt.Errorf("whatsapp: the media upload's answer names no id")
	}
	return answer.ID, nil
}

// OutboundKind is the WhatsApp message type a file goes as: pictures,
// videos and sounds WhatsApp plays; anything else as a document.
func OutboundKind(contentType string) string {
	base, _, _ := strings.Cut(contentType, ";")
	switch strings.TrimSpace(strings.ToLower(base)) {
	case "image/jpeg", "image/png":
		return KindImage
	case "video/mp4", "video/3gpp":
		return KindVideo
	case "audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg":
		return KindAudio
	}
	return KindDocument
}
