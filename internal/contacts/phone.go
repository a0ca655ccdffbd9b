package contacts

import (
	"strconv"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// DefaultRegion is the region numbers without a country code belong to
// when the site does not say (--default-phone-region).
const DefaultRegion = "IT"

// Phones normalises phone numbers to E.164, reading numbers written
// without a country code as numbers of Region (an ISO 3166 code), so that
// "+39 333 123 4567", "0039 3331234567" and "333-1234567" are one number.
type Phones struct {
	Region string
}

// ValidRegion reports whether region is a region phone numbers can be
// read in.
func ValidRegion(region string) bool {
	return phonenumbers.GetSupportedRegions()[strings.ToUpper(region)]
}

// Normalise returns a number in E.164. An empty input is "" (no number);
// it reports false when the text is not a possible phone number.
func (p Phones) Normalise(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", true
	}
	if e, ok := plainE164(s); ok { // the common case, without the parser's cost
		return e, true
	}
	if e, ok := spacedE164(s); ok { // as common in imported files
		return e, true
	}
	if e, ok := p.italian(s); ok { // the default region's own numbers, as common
		return e, true
	}
	if !phoneShaped(s) {
		return "", false
	}
	num, err := phonenumbers.Parse(s, p.region())
	if err != nil || !phonenumbers.IsPossibleNumber(num) {
		return "", false
	}
	return phonenumbers.Format(num, phonenumbers.E164), true
}

func (p Phones) region() string {
	if p.Region == "" {
		return DefaultRegion
	}
	return strings.ToUpper(p.Region)
}

// plainE164 accepts text that already is E.164 (+ and 8 to 15 digits, the
// first not 0).
func plainE164(s string) (string, bool) {
	if len(s) < 9 || len(s) > 16 || s[0] != '+' || s[1] == '0' {
		return "", false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return "", false
		}
	}
	return s, true
}

// spacedE164 accepts an international number written with spaces, dots,
// dashes or slashes between its digits ("+39 333 123 4567"): the parser
// reads it as the same digits. A 0 within the first three digits after the
// + goes to the parser, which may drop it as a national prefix typed by
// mistake ("+44 020 …"), and so do brackets ("+44 (0)20 …").
func spacedE164(s string) (string, bool) {
	if len(s) < 9 || s[0] != '+' || strings.IndexByte(s, '(') >= 0 {
		return "", false
	}
	b := make([]byte, 0, 16)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case ' ', '.', '-', '/':
		default:
			if len(b) == 16 {
				return "", false
			}
			b = append(b, c)
		}
	}
	e, ok := plainE164(string(b))
	if !ok || strings.IndexByte(e[1:min(len(e), 4)], '0') >= 0 {
		return "", false
	}
	return e, true
}

// italian reads, for region IT, what the parser would read but without
// its regular expressions: a mobile number (3 and 9 more digits:
// "333-1234567") or a landline (0 and 5 to 10 more digits: "02 1234 5678";
// Italy keeps the 0 after +39), with spaces, dots, dashes, slashes or
// brackets between the digits. Anything else, the international prefix 00
// included, goes to the parser (TestItalianNumbersReadAsTheParserReadsThem).
func (p Phones) italian(s string) (string, bool) {
	if p.region() != "IT" {
		return "", false
	}
	b := make([]byte, 0, 16)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			if len(b) == 16 {
				return "", false
			}
			b = append(b, c)
		case c == ' ' || c == '.' || c == '-' || c == '/' || c == '(' || c == ')':
		default:
			return "", false
		}
	}
	d := string(b)
	if len(d) == 10 && d[0] == '3' || len(d) >= 6 && len(d) <= 11 && d[0] == '0' && d[1] != '0' {
		return "+39" + d, true
	}
	return "", false
}

// phoneShaped reports whether text looks like a phone number as people
// type one: digits with an optional leading + and spaces, dots, dashes,
// slashes or brackets between them, at least 3 digits.
func phoneShaped(s string) bool {
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0:
		case r == ' ' || r == '.' || r == '-' || r == '(' || r == ')' || r == '/':
		default:
			return false
		}
	}
	return digits >= 3
}

// MinSearchDigits is how many digits the start of a phone number needs to
// be searched for: fewer would match a good part of every list.
const MinSearchDigits = 6

// SearchPrefix returns the E.164 start of the numbers a search for q
// means when q looks like a phone number or its start (at least
// MinSearchDigits digits), or "" when it does not: "333 123" is every
// number starting +39333123 for region IT.
func (p Phones) SearchPrefix(q string) string {
	q = strings.TrimSpace(q)
	if !phoneShaped(q) {
		return ""
	}
	if e, ok := p.Normalise(q); ok && e != "" {
		return e
	}
	d := digitsOf(q)
	if len(d) < MinSearchDigits {
		return ""
	}
	switch {
	case strings.HasPrefix(q, "+"):
		return "+" + d
	case strings.HasPrefix(d, "00"):
		return "+" + d[2:]
	}
	// A national number's start: its country code first. The parser drops
	// a national prefix (a leading 0 where the region dials one).
	if num, err := phonenumbers.Parse(d, p.region()); err == nil {
		return phonenumbers.Format(num, phonenumbers.E164)
	}
	cc := phonenumbers.GetCountryCodeForRegion(p.region())
	if cc == 0 {
		return ""
	}
	return "+" + strconv.Itoa(cc) + d
}
