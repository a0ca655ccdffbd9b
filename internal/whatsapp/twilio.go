package whatsapp

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// TwilioSignature is Twilio's request signature: the base64 HMAC-SHA1,
// keyed with the auth token, of the full URL Twilio called followed by
// every POST parameter sorted by name, each name directly followed by its
// value.
func TwilioSignature(authToken, fullURL string, form url.Values) string {
	names := make([]string, 0, len(form))
	for k := range form {
		names = append(names, k)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString(fullURL)
	for _, k := range names {
		values := append([]string(nil), form[k]...)
		sort.Strings(values)
		for _, v := range values {
			b.WriteString(k)
			b.WriteString(v)
		}
	}
	mac := hmac.New(sha1.New, []byte(authToken))
	mac.Write([]byte(b.String()))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// VerifyTwilioSignature checks the X-Twilio-Signature header in constant
// time.
func VerifyTwilioSignature(authToken, fullURL string, form url.Values, header string) bool {
	if authToken == "" || header == "" {
		return false
	}
	return hmac.Equal([]byte(header), []byte(TwilioSignature(authToken, fullURL, form)))
}

// ParseTwilio reads a Twilio webhook (form-encoded) for the account whose
// SID is accountSID: an incoming message, or the status callback of one we
// sent (MessageStatus other than "received"). A request without a message
// SID or for another Twilio account is ErrMalformed.
func ParseTwilio(form url.Values, accountSID string) (*Delivery, error) {
	sid := form.Get("MessageSid")
	if sid == "" || form.Get("AccountSid") != accountSID {
		return nil, ErrMalformed
	}
	d := &Delivery{}
	if status := form.Get("MessageStatus"); status != "" && status != "received" {
		state, known := statusStates[status]
		if !known {
			d.Skipped++
			return d, nil
		}
		st := Status{ProviderMessageID: sid, State: state, ErrorCode: form.Get("ErrorCode"), ErrorText: form.Get("ErrorMessage")}
		if st.ErrorCode == "0" {
			st.ErrorCode = ""
		}
		d.Statuses = append(d.Statuses, st)
		return d, nil
	}
	from, ok := NormaliseNumber(strings.TrimPrefix(form.Get("From"), "whatsapp:"))
	if !ok {
		return nil, ErrMalformed
	}
	base := Message{ProviderID: sid, From: from, ProfileName: strings.TrimSpace(form.Get("ProfileName")), Kind: KindText,
		Text: form.Get("Body")}
	if bt := form.Get("ButtonText"); bt != "" && base.Text == "" {
		base.Text = bt
	}
	if lat, lng := form.Get("Latitude"), form.Get("Longitude"); lat != "" && lng != "" {
		la, err1 := strconv.ParseFloat(lat, 64)
		lo, err2 := strconv.ParseFloat(lng, 64)
		if err1 != nil || err2 != nil {
			return nil, ErrMalformed
		}
		base.Kind, base.Text = KindLocation, ""
		base.Location = &Location{Latitude: la, Longitude: lo, Name: form.Get("Label"), Address: form.Get("Address")}
		d.Messages = append(d.Messages, base)
		return d, nil
	}
	n, _ := strconv.Atoi(form.Get("NumMedia"))
	if n <= 0 {
		if base.Text == "" {
			d.Skipped++
			return d, nil
		}
		d.Messages = append(d.Messages, base)
		return d, nil
	}
	// WhatsApp carries one file per message; should Twilio ever hand
	// several, each becomes a message of its own (the caption goes with
	// the first), with an id of its own so a retry stays harmless.
	for i := 0; i < n && i < 10; i++ {
		u, typ := form.Get("MediaUrl"+strconv.Itoa(i)), form.Get("MediaContentType"+strconv.Itoa(i))
		if u == "" {
			d.Skipped++
			continue
		}
		m := base
		m.Kind, m.Media = mediaKind(typ), &Media{URL: u, MIMEType: typ}
		if i > 0 {
			m.ProviderID, m.Text = sid+"/"+strconv.Itoa(i), ""
		}
		d.Messages = append(d.Messages, m)
	}
	return d, nil
}

// mediaKind names a file's kind from its declared type (Twilio names no
// kind of its own).
func mediaKind(mimeType string) string {
	switch {
	case strings.HasPrefix(mimeType, "image/"):
		return KindImage
	case strings.HasPrefix(mimeType, "audio/"):
		return KindAudio
	case strings.HasPrefix(mimeType, "video/"):
		return KindVideo
	}
	return KindDocument
}
