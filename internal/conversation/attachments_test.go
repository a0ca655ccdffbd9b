package conversation

import (
	"errors"
	"strings"
	"testing"

	"github.com/switchboard-cc/switchboard/internal/apperr"
)

func TestCheckAttachmentReadsTheTypeFromTheContent(t *testing.T) {
	webp := "RIFF\x24\x00\x00\x00WEBPVP8 "
	for _, c := range []struct {
		name, data, want string
	}{
		{"photo.png", "\x89PNG\r\n\x1a\n....", "image/png"},
		{"photo.jpg", "\xff\xd8\xff\xe0....", "image/jpeg"},
		{"anim.gif", "GIF89a....", "image/gif"},
		{"pic.webp", webp, "image/webp"},
		{"invoice.pdf", "%PDF-1.7\n...", "application/pdf"},
		{"notes.txt", "hello, ciao, 👋\n", "text/plain; charset=utf-8"},
		{"photo.png", "hello", "text/plain; charset=utf-8"}, // the name does not count
	} {
		got, err := CheckAttachment(c.name, []byte(c.data), 1<<20)
		if err != nil || got != c.want {
			t.Errorf("%s: %q, %v; want %q", c.name, got, err, c.want)
		}
	}
}

func TestCheckAttachmentRefusesOtherTypesOnFile(t *testing.T) {
	for name, data := range map[string]string{
		"page.html":   "<!DOCTYPE html><script>alert(1)</script>",
		"image.svg":   "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>",
		"archive.zip": "PK\x03\x04....",
		"tool.exe":    "MZ\x90\x00\x03",
		"binary.txt":  strings.Repeat("a", 600) + "\x00\x01\x02",
		"latin1.txt":  "caf\xe9",
	} {
		_, err := CheckAttachment(name, []byte(data), 1<<20)
		var ae *apperr.Error
		if !apperr.Is(err, apperr.Invalid) || !errors.As(err, &ae) || ae.Fields["file"].Key != "attachment.type" {
			t.Errorf("%s: %v, want invalid on file", name, err)
		}
	}
}

func TestCheckAttachmentLimitsTheSizeInMB(t *testing.T) {
	_, err := CheckAttachment("big.txt", []byte(strings.Repeat("a", 2<<20+1)), 2<<20)
	var ae *apperr.Error
	if !apperr.Is(err, apperr.TooLarge) || !errors.As(err, &ae) || ae.Message.Key != "attachment.too_large" || ae.Message.Args[0] != int64(2) {
		t.Fatalf("over the limit: %v", err)
	}
	if _, err := CheckAttachment("exact.txt", []byte(strings.Repeat("a", 2<<20)), 2<<20); err != nil {
		t.Fatalf("at the limit: %v", err)
	}
	if _, err := CheckAttachment("empty.txt", nil, 2<<20); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("empty: %v", err)
	}
}

func TestCleanAttachmentName(t *testing.T) {
	long := strings.Repeat("x", 300)
	for _, c := range []struct{ in, ct, want string }{
		{"receipt.pdf", "application/pdf", "receipt.pdf"},
		{`C:\Users\anna\Desktop\receipt.pdf`, "application/pdf", "receipt.pdf"},
		{"../../etc/passwd", "text/plain; charset=utf-8", "passwd"},
		{"evil\u202egpj.exe", "image/png", "evilgpj.exe"},
		{"line\r\nbreak.txt", "text/plain", "linebreak.txt"},
		{"  spaced.png  ", "image/png", "spaced.png"},
		{"", "image/png", "attachment.png"},
		{"..", "text/plain; charset=utf-8", "attachment.txt"},
		{"/", "application/pdf", "attachment.pdf"},
		{"\x00\x01", "image/webp", "attachment.webp"},
		{long + ".pdf", "application/pdf", strings.Repeat("x", 196) + ".pdf"},
		{long, "application/pdf", strings.Repeat("x", 200)},
	} {
		if got := CleanAttachmentName(c.in, c.ct); got != c.want {
			t.Errorf("CleanAttachmentName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
