package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/switchboard-cc/switchboard/internal/store"
	"github.com/switchboard-cc/switchboard/internal/store/storetest"
	"github.com/switchboard-cc/switchboard/internal/transcript/transcripttest"
)

// TestTheTranscriptIsAPDFOfWhatTheCustomerSaw: every message with its
// author and files, over as many pages as it takes, never the notes; for
// whoever may see the interaction, agents only with the permission.
func TestTheTranscriptIsAPDFOfWhatTheCustomerSaw(t *testing.T) {
	storetest.Dialects(t, func(t *testing.T, d store.Dialect) {
		rs := newRoutingSiteOn(t, d)
		id, _ := rs.websiteChat(t, nil)
		base := "/api/v1/interactions/" + id
		rs.admin.Do("POST", base+"/inbound", map[string]any{"body": "Ciao, è arrivato il pacco? 📦"}).Expect(t, 201)
		rs.mario.Do("POST", base+"/messages", map[string]any{"body": "Sì, perché?"}).Expect(t, 201)
		postAttachment(t, rs.mario, id, "ricevuta.png", attachmentPNG, "").Expect(t, 201)
		rs.mario.Do("POST", base+"/notes", map[string]any{"body": "Internal: VIP customer"}).Expect(t, 201)
		const more = 70
		for i := range more {
			rs.admin.Do("POST", base+"/inbound", map[string]any{"body": fmt.Sprintf("Riga numero %d", i)}).Expect(t, 201)
		}
		sup, elsewhere, _ := rs.supervisors(t)

		// Agents need the permission, even the owner.
		r := rs.mario.Do("GET", base+"/transcript.pdf", nil).Expect(t, http.StatusForbidden)
		if !strings.Contains(string(r.Body), "transcript") {
			t.Fatalf("refusal %s", r.Body)
		}
		rs.admin.Do("PATCH", "/api/v1/agents/"+rs.marioID, map[string]any{"permissions": map[string]any{"download_transcripts": true}}).Expect(t, 200)
		r = rs.mario.Do("GET", base+"/transcript.pdf", nil).Expect(t, 200)
		if r.Header.Get("Content-Type") != "application/pdf" ||
			r.Header.Get("Content-Disposition") != `attachment; filename="interaction-`+id+`.pdf"` {
			t.Fatalf("headers %v", r.Header)
		}
		pages := transcripttest.Read(t, r.Body)
		all := strings.Join(pages, "\n")
		for _, want := range []string{"Transcript of interaction #" + id, "Shop", "Agent mario", "Open", "Chat",
			"Ciao, è arrivato il pacco?", "Sì, perché?", "Attachment: ricevuta.png", "Hello"} {
			if !strings.Contains(all, want) {
				t.Errorf("the transcript lacks %q", want)
			}
		}
		if strings.Contains(all, "VIP") {
			t.Error("the transcript shows an internal note")
		}
		if len(pages) < 2 {
			t.Fatalf("%d messages on %d page(s)", more+4, len(pages))
		}
		for n, p := range pages {
			if !strings.Contains(p, fmt.Sprintf("Page %d of %d", n+1, len(pages))) {
				t.Errorf("page %d is not numbered: %q", n+1, p)
			}
		}
		for i := range more { // every message once, in order, the last on the last page
			if c := strings.Count(all, fmt.Sprintf("Riga numero %d\n", i)); c != 1 {
				t.Errorf("message %d shows %d times", i, c)
			}
		}
		if !strings.Contains(pages[len(pages)-1], fmt.Sprintf("Riga numero %d", more-1)) {
			t.Error("the last message is not on the last page")
		}

		// In Italian for an Italian reader.
		rs.mario.Language = "it"
		if all := strings.Join(transcripttest.Read(t, rs.mario.Do("GET", base+"/transcript.pdf", nil).Expect(t, 200).Body), "\n"); !strings.Contains(all, "Trascrizione dell'interazione n. "+id) {
			t.Error("the Italian transcript is not in Italian")
		}

		// Supervisors of the queue and admins may; others may not.
		sup.Do("GET", base+"/transcript.pdf", nil).Expect(t, 200)
		rs.admin.Do("GET", base+"/transcript.pdf", nil).Expect(t, 200)
		elsewhere.Do("GET", base+"/transcript.pdf", nil).Expect(t, http.StatusForbidden)
		rs.giula.Do("GET", base+"/transcript.pdf", nil).Expect(t, http.StatusForbidden) // sees it, lacks the permission
		rs.admin.Do("GET", "/api/v1/interactions/999999/transcript.pdf", nil).Expect(t, http.StatusNotFound)
	})
}
