// Package transcript renders an interaction's conversation as a PDF an
// agent or supervisor can download: a header describing the interaction,
// then every message with its time, author and attachments. Internal notes
// are never part of it; the caller hands over only what the customer saw.
//
// The text is set in the Go fonts (golang.org/x/image/font/gofont, BSD
// licence), embedded in the binary and subset into each PDF, so accents and
// most scripts print on any server; characters the font lacks (emoji)
// print as U+FFFD.
package transcript

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/signintech/gopdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
)

// Transcript is what a transcript shows.
type Transcript struct {
	InteractionID int64
	Channel       string
	Account       string
	Contact       string
	Agent         string
	Status        string // already translated (with the sub-status)
	Disposition   string
	Note          string // the closing note
	Tags          []string
	Started       time.Time
	Closed        *time.Time
	Messages      []Message
}

// Message is one message of the conversation.
type Message struct {
	At          time.Time
	Author      string
	FromContact bool // the customer wrote it
	Text        string
	Attachments []string // file names
}

// Translate renders a message key of the transcript's texts (keys
// "transcript.*" of the server's catalogues) in the reader's language.
type Translate func(key string, args ...any) string

// Page geometry, in points (A4).
const (
	pageW, pageH = 595.28, 841.89
	margin       = 50.0
	footerY      = pageH - 30
	bodyBottom   = pageH - 60
	textW        = pageW - 2*margin
	labelW       = 100.0
	indent       = 12.0
)

// Render lays out a transcript; times are shown in loc, each with its zone.
func Render(t Transcript, loc *time.Location, tr Translate) ([]byte, error) {
	r := &renderer{loc: loc, tr: tr}
	r.pdf.Start(gopdf.Config{PageSize: gopdf.Rect{W: pageW, H: pageH}})
	opt := gopdf.TtfOption{OnGlyphNotFoundSubstitute: func(rune) rune { return '\uFFFD' }}
	if err := r.pdf.AddTTFFontDataWithOption("regular", goregular.TTF, opt); err != nil {
		return nil, fmt.Errorf("transcript: font: %w", err)
	}
	if err := r.pdf.AddTTFFontDataWithOption("bold", gobold.TTF, opt); err != nil {
		return nil, fmt.Errorf("transcript: font: %w", err)
	}
	r.pdf.SetInfo(gopdf.PdfInfo{Title: tr("transcript.title", t.InteractionID), Producer: "Switchboard"})
	r.newPage()
	r.header(t)
	r.messages(t.Messages)
	r.footers(t.InteractionID)
	if r.err != nil {
		return nil, fmt.Errorf("transcript: %w", r.err)
	}
	var buf bytes.Buffer
	if _, err := r.pdf.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("transcript: %w", err)
	}
	return buf.Bytes(), nil
}

// renderer writes top to bottom, starting a page when the next block does
// not fit; the first error stops all further drawing.
type renderer struct {
	pdf gopdf.GoPdf
	loc *time.Location
	tr  Translate
	y   float64
	err error
}

func (r *renderer) newPage() {
	r.pdf.AddPage()
	r.y = margin
}

// room starts a new page unless h more points fit on this one.
func (r *renderer) room(h float64) {
	if r.y+h > bodyBottom {
		r.newPage()
	}
}

func (r *renderer) font(name string, size float64, red, green, blue uint8) {
	if r.err == nil {
		r.err = r.pdf.SetFont(name, "", size)
	}
	r.pdf.SetTextColor(red, green, blue)
}

// text writes one line at x on the current line and moves down by h.
func (r *renderer) text(x float64, s string, h float64) {
	if r.err != nil {
		return
	}
	r.pdf.SetXY(x, r.y)
	if s != "" {
		r.err = r.pdf.Cell(nil, s)
	}
	r.y += h
}

// wrap splits s into lines that fit width in the current font.
func (r *renderer) wrap(s string, width float64) []string {
	if r.err != nil {
		return nil
	}
	var out []string
	for _, para := range strings.Split(s, "\n") {
		if strings.TrimSpace(para) == "" {
			out = append(out, "")
			continue
		}
		lines, err := r.pdf.SplitTextWithWordWrap(para, width)
		if err != nil {
			r.err = err
			return nil
		}
		out = append(out, lines...)
	}
	return out
}

func (r *renderer) when(t time.Time) string {
	return t.In(r.loc).Format("2006-01-02 15:04:05 MST")
}

// header is the title and the interaction's facts, one labelled row each.
func (r *renderer) header(t Transcript) {
	r.font("bold", 16, 0, 0, 0)
	r.text(margin, r.tr("transcript.title", t.InteractionID), 28)
	closed := ""
	if t.Closed != nil {
		closed = r.when(*t.Closed)
	}
	rows := [][2]string{
		{"transcript.channel", t.Channel},
		{"transcript.account", t.Account},
		{"transcript.contact", t.Contact},
		{"transcript.started", r.when(t.Started)},
		{"transcript.closed", closed},
		{"transcript.agent", t.Agent},
		{"transcript.status", t.Status},
		{"transcript.disposition", t.Disposition},
		{"transcript.note", t.Note},
		{"transcript.tags", strings.Join(t.Tags, ", ")},
	}
	for _, row := range rows {
		if row[1] == "" {
			continue
		}
		r.font("regular", 10, 0, 0, 0)
		lines := r.wrap(clean(row[1]), textW-labelW)
		r.room(float64(len(lines)) * 14)
		r.font("bold", 10, 90, 90, 90)
		r.text(margin, r.tr(row[0]), 0)
		r.font("regular", 10, 0, 0, 0)
		for _, l := range lines {
			r.text(margin+labelW, l, 14)
		}
	}
	r.y += 8
	r.pdf.SetStrokeColor(180, 180, 180)
	r.pdf.Line(margin, r.y, pageW-margin, r.y)
	r.y += 16
}

// messages writes each message: a line with time and author, the text,
// then its attachments' names.
func (r *renderer) messages(msgs []Message) {
	if len(msgs) == 0 {
		r.font("regular", 10, 90, 90, 90)
		r.text(margin, r.tr("transcript.no_messages"), 14)
		return
	}
	for _, m := range msgs {
		r.font("regular", 10, 0, 0, 0)
		lines := r.wrap(clean(m.Text), textW-indent)
		// Keep the author line with at least the first lines of its text.
		r.room(16 + 13*float64(min(len(lines), 3)))
		if m.FromContact {
			r.font("bold", 9, 20, 70, 150)
		} else {
			r.font("bold", 9, 20, 110, 60)
		}
		r.text(margin, r.when(m.At)+"  ·  "+clean(m.Author), 14)
		r.font("regular", 10, 0, 0, 0)
		for _, l := range lines {
			r.room(13)
			r.text(margin+indent, l, 13)
		}
		r.font("regular", 9, 90, 90, 90)
		for _, a := range m.Attachments {
			r.room(13)
			r.text(margin+indent, r.tr("transcript.attachment", clean(a)), 13)
		}
		r.y += 8
	}
}

// footers numbers every page once the page count is known.
func (r *renderer) footers(id int64) {
	n := r.pdf.GetNumberOfPages()
	for p := 1; p <= n && r.err == nil; p++ {
		if r.err = r.pdf.SetPage(p); r.err != nil {
			return
		}
		r.font("regular", 8, 120, 120, 120)
		r.y = footerY
		r.text(margin, r.tr("transcript.title", id)+"  —  "+r.tr("transcript.page", p, n), 0)
	}
}

// clean makes text printable on one baseline: no carriage returns, tabs or
// other control characters, and no emoji joiners, variation selectors or
// skin-tone modifiers (each would print as a separate unknown glyph).
func clean(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(c rune) rune {
		switch {
		case c == '\n':
			return c
		case c == '\t':
			return ' '
		case c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0):
			return -1
		case c == 0x200d || (c >= 0xfe00 && c <= 0xfe0f) || (c >= 0x1f3fb && c <= 0x1f3ff):
			return -1
		}
		return c
	}, s)
}
