package whatsapp

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"
)

// ErrMalformed says a webhook body is not what the provider sends.
var ErrMalformed = errors.New("whatsapp: malformed webhook")

// VerifyMetaSignature checks Meta's X-Hub-Signature-256 header
// ("sha256=" and the hex HMAC-SHA256 of the raw body keyed with the app
// secret) in constant time.
func VerifyMetaSignature(appSecret string, body []byte, header string) bool {
	sent, ok := strings.CutPrefix(header, "sha256=")
	if !ok || appSecret == "" {
		return false
	}
	got, err := hex.DecodeString(sent)
	if err != nil {
		return false
	}
	return hmac.Equal(got, MetaSignature(appSecret, body))
}

// MetaSignature is the HMAC-SHA256 of body keyed with the app secret.
func MetaSignature(appSecret string, body []byte) []byte {
	mac := hmac.New(sha256.New, []byte(appSecret))
	mac.Write(body)
	return mac.Sum(nil)
}

// The Cloud API's webhook payload (the "messages" field of a WhatsApp
// Business Account): entry[].changes[].value holds the messages the
// customers sent, their profiles, and the statuses of what we sent.
type metaWebhook struct {
	Object string `json:"object"`
	Entry  []struct {
		Changes []struct {
			Field string    `json:"field"`
			Value metaValue `json:"value"`
		} `json:"changes"`
	} `json:"entry"`
}

type metaValue struct {
	Metadata struct {
		PhoneNumberID string `json:"phone_number_id"`
	} `json:"metadata"`
	Contacts []struct {
		Profile struct {
			Name string `json:"name"`
		} `json:"profile"`
		WaID string `json:"wa_id"`
	} `json:"contacts"`
	Messages []metaMessage `json:"messages"`
	Statuses []metaStatus  `json:"statuses"`
}

type metaMedia struct {
	ID       string `json:"id"`
	MIMEType string `json:"mime_type"`
	SHA256   string `json:"sha256"`
	Caption  string `json:"caption"`
	Filename string `json:"filename"`
}

type metaMessage struct {
	From      string                 `json:"from"`
	ID        string                 `json:"id"`
	Timestamp string                 `json:"timestamp"`
	Type      string                 `json:"type"`
	Text      *struct{ Body string } `json:"text"`
	Image     *metaMedia             `json:"image"`
	Audio     *metaMedia             `json:"audio"`
	Video     *metaMedia             `json:"video"`
	Document  *metaMedia             `json:"document"`
	Sticker   *metaMedia             `json:"sticker"`
	Location  *struct {
		Latitude  float64 `json:"latitude"`
		Longitude float64 `json:"longitude"`
		Name      string  `json:"name"`
		Address   string  `json:"address"`
	} `json:"location"`
	Contacts []struct {
		Name struct {
			FormattedName string `json:"formatted_name"`
			FirstName     string `json:"first_name"`
			LastName      string `json:"last_name"`
		} `json:"name"`
		Phones []struct {
			Phone string `json:"phone"`
		} `json:"phones"`
		Emails []struct {
			Email string `json:"email"`
		} `json:"emails"`
	} `json:"contacts"`
	Interactive *struct {
		ButtonReply *struct{ Title string } `json:"button_reply"`
		ListReply   *struct{ Title string } `json:"list_reply"`
	} `json:"interactive"`
	Button *struct {
		Text string `json:"text"`
	} `json:"button"`
}

type metaStatus struct {
	ID        string `json:"id"`
	Status    string `json:"status"`
	Timestamp string `json:"timestamp"`
	Errors    []struct {
		Code      int    `json:"code"`
		Title     string `json:"title"`
		Message   string `json:"message"`
		ErrorData struct {
			Details string `json:"details"`
		} `json:"error_data"`
	} `json:"errors"`
}

// ParseMeta reads a Cloud API webhook body for the account whose phone
// number id is phoneNumberID. Changes of other fields or for another
// number, and messages without an id or sender, are skipped; a body that
// is not a WhatsApp Business Account notification is ErrMalformed.
func ParseMeta(body []byte, phoneNumberID string) (*Delivery, error) {
	var hook metaWebhook
	if err := json.Unmarshal(body, &hook); err != nil || hook.Object != "whatsapp_business_account" {
		return nil, ErrMalformed
	}
	d := &Delivery{}
	for _, e := range hook.Entry {
		for _, ch := range e.Changes {
			if ch.Field != "messages" || ch.Value.Metadata.PhoneNumberID != phoneNumberID {
				d.Skipped += len(ch.Value.Messages) + len(ch.Value.Statuses)
				continue
			}
			names := map[string]string{}
			for _, c := range ch.Value.Contacts {
				names[c.WaID] = strings.TrimSpace(c.Profile.Name)
			}
			for _, mm := range ch.Value.Messages {
				m, ok := mm.normalise(names)
				if !ok {
					d.Skipped++
					continue
				}
				d.Messages = append(d.Messages, m)
			}
			for _, ms := range ch.Value.Statuses {
				st, ok := ms.normalise()
				if !ok {
					d.Skipped++
					continue
				}
				d.Statuses = append(d.Statuses, st)
			}
		}
	}
	return d, nil
}

func unixTime(s string) time.Time {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return time.Time{}
	}
	return time.Unix(n, 0).UTC()
}

func (mm *metaMessage) normalise(names map[string]string) (Message, bool) {
	from, ok := NormaliseNumber(mm.From)
	if mm.ID == "" || !ok {
		return Message{}, false
	}
	m := Message{ProviderID: mm.ID, From: from, ProfileName: names[mm.From], Kind: mm.Type, Type: mm.Type, At: unixTime(mm.Timestamp)}
	media := func(x *metaMedia) bool {
		if x == nil || x.ID == "" {
			return false
		}
		m.Media = &Media{ID: x.ID, MIMEType: x.MIMEType, SHA256: x.SHA256, Filename: x.Filename}
		m.Text = x.Caption
		return true
	}
	switch mm.Type {
	case "text":
		if mm.Text == nil {
			return m, false
		}
		m.Text = mm.Text.Body
	case KindImage:
		ok = media(mm.Image)
	case KindAudio:
		ok = media(mm.Audio)
	case KindVideo:
		ok = media(mm.Video)
	case KindDocument:
		ok = media(mm.Document)
	case KindSticker:
		ok = media(mm.Sticker)
	case KindLocation:
		if mm.Location == nil {
			return m, false
		}
		l := mm.Location
		m.Location = &Location{Latitude: l.Latitude, Longitude: l.Longitude, Name: l.Name, Address: l.Address}
	case KindContacts:
		for _, c := range mm.Contacts {
			sc := SharedContact{Name: c.Name.FormattedName}
			if sc.Name == "" {
				sc.Name = strings.TrimSpace(c.Name.FirstName + " " + c.Name.LastName)
			}
			for _, p := range c.Phones {
				sc.Phones = append(sc.Phones, p.Phone)
			}
			for _, e := range c.Emails {
				sc.Emails = append(sc.Emails, e.Email)
			}
			m.Contacts = append(m.Contacts, sc)
		}
		ok = len(m.Contacts) > 0
	case "interactive", "button":
		// A tap on a reply button or a list row reads as the text chosen.
		m.Kind = KindText
		switch {
		case mm.Button != nil:
			m.Text = mm.Button.Text
		case mm.Interactive != nil && mm.Interactive.ButtonReply != nil:
			m.Text = mm.Interactive.ButtonReply.Title
		case mm.Interactive != nil && mm.Interactive.ListReply != nil:
			m.Text = mm.Interactive.ListReply.Title
		}
		ok = m.Text != ""
	case KindReaction:
	default:
		m.Kind = KindUnsupported
	}
	return m, ok
}

func (ms *metaStatus) normalise() (Status, bool) {
	state, known := statusStates[ms.Status]
	if ms.ID == "" || !known {
		return Status{}, false
	}
	st := Status{ProviderMessageID: ms.ID, State: state, At: unixTime(ms.Timestamp)}
	if len(ms.Errors) > 0 {
		e := ms.Errors[0]
		st.ErrorCode = strconv.Itoa(e.Code)
		st.ErrorText = strings.TrimSpace(e.Title)
		if d := strings.TrimSpace(e.ErrorData.Details); d != "" {
			st.ErrorText += ": " + d
		}
	}
	return st, true
}
