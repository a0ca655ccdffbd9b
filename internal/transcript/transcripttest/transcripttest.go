// Package transcripttest reads transcripts back in tests: that the PDF
// parses, how many pages it has, and the text of each page.
package transcripttest

import (
	"bytes"
	"testing"

	"github.com/ledongthuc/pdf"
)

// Read parses a PDF and returns its pages' text; it fails the test when b
// is not a PDF a reader accepts.
func Read(t testing.TB, b []byte) []string {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", b[:min(len(b), 40)])
	}
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("the PDF does not parse: %v", err)
	}
	pages := make([]string, 0, r.NumPage())
	for i := 1; i <= r.NumPage(); i++ {
		text, err := r.Page(i).GetPlainText(nil)
		if err != nil {
			t.Fatalf("page %d: %v", i, err)
		}
		pages = append(pages, text)
	}
	return pages
}
