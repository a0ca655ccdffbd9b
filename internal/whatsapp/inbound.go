package whatsapp

import (
	"strconv"
	"strings"
	"time"
)

// Kinds of inbound message, as both providers name them.
const (
	KindText        = "text"
	KindImage       = "image"
	KindAudio       = "audio" // voice notes too
	KindVideo       = "video"
	KindDocument    = "document"
	KindSticker     = "sticker"
	KindLocation    = "location"
	KindContacts    = "contacts"
	KindReaction    = "reaction"
	KindUnsupported = "unsupported"
)

// Media is a file a customer sent, as the provider names it: Meta by a
// media id (fetched in two steps), Twilio by a URL.
type Media struct {
	ID       string // Meta's media id
	URL      string // Twilio's media URL
	MIMEType string // as the provider declares it
	SHA256   string // Meta's hex digest of the file, when given
	Filename string // a document's name, when given
}

// Location is a place a customer shared.
type Location struct {
	Latitude  float64
	Longitude float64
	Name      string
	Address   string
}

// SharedContact is a contact card a customer shared.
type SharedContact struct {
	Name   string
	Phones []string
	Emails []string
}

// Message is one inbound customer message, normalised from either
// provider's webhook.
type Message struct {
	ProviderID  string // the provider's message id (wamid…, SM…/MM…)
	From        string // the customer's number, E.164
	ProfileName string // his WhatsApp profile name, when the provider tells it
	Kind        string
	Text        string // the text, a media caption or the chosen reply
	Media       *Media
	Location    *Location
	Contacts    []SharedContact
	Type        string // the provider's own type, for an unsupported one
	At          time.Time
}

// Status is a delivery status of an outbound message.
type Status struct {
	ProviderMessageID string
	State             string // sent, delivered, read, failed
	ErrorCode         string
	ErrorText         string
	At                time.Time
}

// Delivery is what one webhook request carries. Skipped counts entries
// left out because they were incomplete or not for this account: one bad
// entry does not lose the others.
type Delivery struct {
	Messages []Message
	Statuses []Status
	Skipped  int
}

// statusStates maps the providers' status names to the message delivery
// states; the others (queued, accepted, sending…) say nothing new.
var statusStates = map[string]string{
	"sent": "sent", "delivered": "delivered", "read": "read", "failed": "failed", "undelivered": "failed",
}

// Body is the message as text for the conversation: its text or caption,
// or a readable rendering of a location or shared contacts. t translates
// the few words that need it (an unsupported message's note).
func (m *Message) Body(t func(key string, args ...any) string) string {
	switch m.Kind {
	case KindLocation:
		return locationBody(m.Location, m.Text)
	case KindContacts:
		return contactsBody(m.Contacts)
	case KindUnsupported:
		return t("whatsapp.unsupported", m.Type)
	}
	return m.Text
}

// locationBody names the place and links to it on OpenStreetMap, which
// needs no account or key to open.
func locationBody(l *Location, text string) string {
	if l == nil {
		return text
	}
	lat, lng := strconv.FormatFloat(l.Latitude, 'f', -1, 64), strconv.FormatFloat(l.Longitude, 'f', -1, 64)
	var lines []string
	for _, s := range []string{l.Name, l.Address} {
		if s = strings.TrimSpace(s); s != "" {
			lines = append(lines, s)
		}
	}
	lines = append(lines, lat+", "+lng, "https://www.openstreetmap.org/?mlat="+lat+"&mlon="+lng+"#map=17/"+lat+"/"+lng)
	return "📍 " + strings.Join(lines, "\n")
}

// contactsBody writes one line per shared contact: name, phones, emails.
func contactsBody(cs []SharedContact) string {
	lines := make([]string, 0, len(cs))
	for _, c := range cs {
		parts := []string{}
		if n := strings.TrimSpace(c.Name); n != "" {
			parts = append(parts, n)
		}
		parts = append(parts, c.Phones...)
		parts = append(parts, c.Emails...)
		lines = append(lines, "👤 "+strings.Join(parts, ", "))
	}
	return strings.Join(lines, "\n")
}
