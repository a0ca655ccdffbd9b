package contacts

import (
	"math/rand/v2"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// parsed is what the parser alone makes of a number (Normalise without
// its fast paths).
func parsed(s, region string) (string, bool) {
	num, err := phonenumbers.Parse(s, region)
	if err != nil || !phonenumbers.IsPossibleNumber(num) {
		return "", false
	}
	return phonenumbers.Format(num, phonenumbers.E164), true
}

func TestItalianNumbersReadAsTheParserReadsThem(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	digits := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('0' + r.IntN(10))
		}
		return string(b)
	}
	formats := []func(d string) string{
		func(d string) string { return d },
		func(d string) string { return d[:3] + "-" + d[3:] },
		func(d string) string { return d[:3] + " " + d[3:6] + " " + d[6:] },
		func(d string) string { return d[:3] + "." + d[3:6] + "." + d[6:] },
		func(d string) string { return "(" + d[:3] + ") " + d[3:] },
		func(d string) string { return d[:2] + "/" + d[2:] },
		func(d string) string { return "0039 " + d },
		func(d string) string { return "00 39 " + d },
		func(d string) string { return "0044 " + d },
		func(d string) string { return "0039" + d },
	}
	fast := 0
	for n := range 20000 {
		first := []string{"0", "3", "3", "0", "1", "8"}[n%6]
		d := first + digits(5+r.IntN(8))
		s := formats[r.IntN(len(formats))](d)
		got, gotOK := it.Normalise(s)
		want, wantOK := parsed(s, "IT")
		if got != want || gotOK != wantOK {
			t.Fatalf("%q: %q %v, the parser %q %v", s, got, gotOK, want, wantOK)
		}
		if _, ok := it.italian(s); ok {
			fast++
		}
	}
	if fast < 2000 { // the fast path is taken, not only agreed with
		t.Fatalf("only %d numbers took the fast path", fast)
	}
	// Another region's numbers always go to the parser.
	if _, ok := (Phones{Region: "GB"}).italian("333-1234567"); ok {
		t.Fatal("GB read as Italy")
	}
}
