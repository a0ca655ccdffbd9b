package transcript_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/switchboard-cc/switchboard/internal/transcript"
	"github.com/switchboard-cc/switchboard/internal/transcript/transcripttest"
)

// english stands in for the server's catalogue.
func english(key string, args ...any) string {
	texts := map[string]string{"transcript.title": "Transcript of interaction #%d", "transcript.page": "Page %d of %d",
		"transcript.attachment": "Attachment: %s", "transcript.no_messages": "No messages."}
	if t, ok := texts[key]; ok {
		return fmt.Sprintf(t, args...)
	}
	return strings.TrimPrefix(key, "transcript.")
}

func TestALongConversationPaginatesAndKeepsItsText(t *testing.T) {
	start := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	closed := start.Add(time.Hour)
	tr := transcript.Transcript{InteractionID: 42, Channel: "chat", Account: "Negozio", Contact: "Anna Bianchi",
		Agent: "Mario Rossi", Status: "Closed", Disposition: "Risolto", Tags: []string{"Fattura", "VIP"},
		Started: start, Closed: &closed}
	for i := range 120 {
		m := transcript.Message{At: start.Add(time.Duration(i) * time.Minute), Author: "Anna Bianchi", FromContact: i%2 == 0,
			Text: fmt.Sprintf("Messaggio %d: perché la città è più bella così 😀👍🏽", i)}
		if !m.FromContact {
			m.Author = "Mario Rossi"
		}
		if i == 7 {
			m.Attachments = []string{"fattura-è.pdf"}
			m.Text = strings.Repeat("una riga molto lunga che va a capo ", 20)
		}
		tr.Messages = append(tr.Messages, m)
	}
	b, err := transcript.Render(tr, time.UTC, english)
	if err != nil {
		t.Fatal(err)
	}
	pages := transcripttest.Read(t, b)
	n := len(pages)
	if n < 4 {
		t.Fatalf("120 messages fit on %d pages", n)
	}
	all := strings.Join(pages, "\n")
	for _, want := range []string{"Transcript of interaction #42", "Negozio", "Anna Bianchi", "Fattura, VIP", "Risolto",
		"Messaggio 0: perché la città è più bella così", "Messaggio 119", "Attachment: fattura-è.pdf",
		"2026-11-21 09:07:00 UTC", fmt.Sprintf("Page %d of %d", n, n)} {
		if !strings.Contains(all, want) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
	if !strings.Contains(pages[n-1], "Messaggio 119") || strings.Contains(pages[0], "Messaggio 119") {
		t.Error("the last message is not on the last page")
	}
}

func TestAConversationWithoutMessagesSaysSo(t *testing.T) {
	b, err := transcript.Render(transcript.Transcript{InteractionID: 1, Started: time.Now()}, time.UTC, english)
	if err != nil {
		t.Fatal(err)
	}
	if pages := transcripttest.Read(t, b); len(pages) != 1 || !strings.Contains(pages[0], "No messages.") {
		t.Fatalf("pages: %q", pages)
	}
}
