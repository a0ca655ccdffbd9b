package contacts

import (
	"slices"
	"strings"
)

// Subject is who an inbound interaction comes from, as its channel names
// him: a name, and the identities to look him up by (his phone numbers and
// email addresses are identities too). An unknown subject — nothing in the
// Contact Manager matches any of them — becomes a new contact when the
// entry point's contact-manager trigger is on.
type Subject struct {
	Name       string
	Identities []Identity
}

// Empty reports whether there is nothing to find a contact by.
func (s Subject) Empty() bool { return len(s.Identities) == 0 }

// Values returns the subject's identity values of the kinds given.
func (s Subject) Values(kinds ...string) []string {
	var out []string
	for _, id := range s.Identities {
		if slices.Contains(kinds, id.Kind) && !slices.Contains(out, id.Value) {
			out = append(out, id.Value)
		}
	}
	return out
}

// channelKind is the identity kind a channel's contact key is, when the
// key does not look like an email or a phone number.
var channelKind = map[string]string{
	"whatsapp":    KindWhatsApp,
	"sms":         KindPhone,
	"fax":         KindPhone,
	"voice":       KindPhone,
	"email":       KindEmail,
	"chat":        KindChat,
	"openchannel": KindOpenChannel,
}

// Subject builds the subject of an inbound interaction on a channel from
// its contact key (the channel's name for the customer) and whatever else
// the channel gives: a name, email addresses and phone numbers (a chat's
// form). Values that are not what they claim are left out.
func (p Phones) Subject(channel, contactKey, name string, emails, phones []string) Subject {
	s := Subject{Name: strings.TrimSpace(name)}
	add := func(kind, value string) {
		if id, ok := p.NormaliseIdentity(Identity{Kind: kind, Value: value}); ok && !slices.Contains(s.Identities, id) {
			s.Identities = append(s.Identities, id)
		}
	}
	if key := strings.TrimSpace(contactKey); key != "" {
		kind := channelKind[channel]
		switch {
		case kind == KindWhatsApp:
			// WhatsApp ids are international numbers without their +.
			if !strings.HasPrefix(key, "+") {
				key = "+" + key
			}
		case strings.Contains(key, "@"):
			kind = KindEmail
		case phoneShaped(key):
			kind = KindPhone
		}
		if kind != "" {
			add(kind, key)
		}
	}
	for _, e := range emails {
		add(KindEmail, e)
	}
	for _, ph := range phones {
		add(KindPhone, ph)
	}
	return s
}

// NewContact is the contact an unknown subject becomes: his name split in
// first and last, his first phone number and email address, and his
// identities.
func (s Subject) NewContact(listID int64) *Contact {
	c := &Contact{ListID: listID, Fields: map[string]any{}, Tags: []TagRef{}, Identities: s.Identities}
	c.FirstName, c.LastName = SplitName(s.Name)
	if ph := s.Values(KindPhone, KindWhatsApp); len(ph) > 0 {
		c.Phone = ph[0]
	}
	if em := s.Values(KindEmail); len(em) > 0 {
		c.Email = em[0]
	}
	if c.Identities == nil {
		c.Identities = []Identity{}
	}
	return c
}
