package httpapi

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/conversation"
	"github.com/switchboard-cc/switchboard/internal/staff"
	"github.com/switchboard-cc/switchboard/internal/store"
	"github.com/switchboard-cc/switchboard/internal/whatsapp"
)

// Files in conversations: the owner sends one with an optional caption,
// whoever may see the interaction gets it back. The files themselves live
// in the database (store.Attachment), so every node serves them.

// uploadOverhead is what a multipart body may carry besides its file: the
// part headers, the boundaries and a caption.
const uploadOverhead = 64 << 10

// maxUploadBody bounds any attachment upload before the interaction's own
// limit is known (the largest a website may allow).
const maxUploadBody = conversation.MaxAttachmentMB<<20 + uploadOverhead

// readAttachment reads a multipart upload as it streams in: one part
// "file" (checked by conversation.CheckAttachment against maxBytes) and
// the text parts named in texts (others are skipped). The whole body is
// cut off at maxBytes plus a small overhead, so a huge upload is refused
// (413) without being read to its end.
func readAttachment(w http.ResponseWriter, r *http.Request, maxBytes int64, texts ...string) (*store.NewAttachment, map[string]string, error) {
	tooLarge := apperr.New(apperr.TooLarge, "attachment.too_large", maxBytes>>20)
	r.Body = http.MaxBytesReader(w, r.Body, maxBytes+uploadOverhead)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, nil, apperr.Field("file", "upload.invalid")
	}
	var file *store.NewAttachment
	fields := map[string]string{}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		var big *http.MaxBytesError
		if errors.As(err, &big) {
			return nil, nil, tooLarge
		}
		if err != nil {
			return nil, nil, apperr.Field("file", "upload.invalid")
		}
		name := part.FormName()
		switch {
		case name == "file":
			if file != nil {
				return nil, nil, apperr.Field("file", "field.too_many", 1)
			}
			data, err := io.ReadAll(io.LimitReader(part, maxBytes+1))
			if errors.As(err, &big) || int64(len(data)) > maxBytes {
				return nil, nil, tooLarge
			}
			if err != nil {
				return nil, nil, apperr.Field("file", "upload.invalid")
			}
			file = &store.NewAttachment{Name: part.FileName(), Data: data}
		case slices.Contains(texts, name):
			v, err := io.ReadAll(io.LimitReader(part, uploadOverhead))
			if errors.As(err, &big) {
				return nil, nil, tooLarge
			}
			if err != nil {
				return nil, nil, apperr.Field(name, "upload.invalid")
			}
			fields[name] = string(v)
		}
		part.Close()
	}
	if file == nil {
		return nil, nil, apperr.Field("file", "field.required")
	}
	if file.ContentType, err = conversation.CheckAttachment(file.Name, file.Data, maxBytes); err != nil {
		return nil, nil, err
	}
	return file, fields, nil
}

// attachmentLimit is the largest file an interaction accepts: its chat
// website's limit (403 when the website has files turned off), or
// conversation.DefaultMaxAttachmentBytes for other accounts.
func (s *Server) attachmentLimit(ctx context.Context, it *store.Interaction) (int64, error) {
	if it.AccountID == nil || it.Channel != string(staff.Chat) {
		return conversation.DefaultMaxAttachmentBytes, nil
	}
	site, err := s.db.Website(ctx, *it.AccountID)
	if apperr.Is(err, apperr.NotFound) {
		return conversation.DefaultMaxAttachmentBytes, nil
	}
	if err != nil {
		return 0, err
	}
	if !site.AttachmentsEnabled {
		return 0, apperr.New(apperr.Forbidden, "attachment.off")
	}
	return int64(site.MaxAttachmentMB) << 20, nil
}

// sendAttachment is the owner's message with a file (multipart: "file",
// and an optional caption "body"). Refusals come before the body is read:
// anyone but the owner 403, a closed interaction 409, files off 403.
func (s *Server) sendAttachment(w http.ResponseWriter, r *http.Request) error {
	it, err := s.interactionFor(r)
	if err != nil {
		return err
	}
	ctx, me := r.Context(), callerFrom(r.Context()).ID()
	if err := store.OwnerRefusal(it.Status, it.OwnerID, me); err != nil {
		return err
	}
	limit, err := s.attachmentLimit(ctx, it)
	if err != nil {
		return err
	}
	file, fields, err := readAttachment(w, r, limit, "body")
	if err != nil {
		return err
	}
	caption := fields["body"]
	if strings.TrimSpace(caption) == "" {
		caption = ""
	} else if err := checkBody(caption, maxMessageChars); err != nil {
		return err
	}
	if err := checkWhatsAppFile(it, file); err != nil {
		return err
	}
	m, err := s.sendOnChannel(ctx, it, me, caption, file, 0)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, m)
	return nil
}

// inlineMedia reports whether a file may be shown in the page (a picture,
// or a voice note or clip played there) rather than saved. Only types
// stored after the content was checked (never anything a browser could
// render as a page), and served with nosniff and a sandbox.
func inlineMedia(contentType string) bool {
	switch contentType {
	case "image/png", "image/jpeg", "image/gif", "image/webp":
		return true
	}
	return whatsapp.Playable(contentType)
}

// downloadAttachment serves a file to whoever may see its interaction.
// Pictures (and WhatsApp's voice notes and clips) are shown inline in
// the conversation to all of them; saving a file (any file with
// ?download=1, and PDFs and texts, which a browser can only open as a
// file) is what the agent permission "download attachments"
// grants, so an agent needs it. Admins and supervisors who may see the
// interaction need nothing more.
func (s *Server) downloadAttachment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	interactionID, err := s.db.AttachmentInteraction(r.Context(), id)
	if err != nil {
		return err
	}
	if _, err := s.visibleInteraction(r, interactionID); err != nil {
		return err
	}
	a, _, data, err := s.db.Attachment(r.Context(), id)
	if err != nil {
		return err
	}
	disposition := "inline"
	if !inlineMedia(a.ContentType) || r.URL.Query().Has("download") {
		disposition = "attachment"
		if err := s.mayDownloadAttachments(r.Context()); err != nil {
			return err
		}
	}
	writeAttachment(w, r, a, data, disposition)
	return nil
}

// mayDownloadAttachments refuses an agent without the permission.
func (s *Server) mayDownloadAttachments(ctx context.Context) error {
	c := callerFrom(ctx)
	if !c.IsAgent() {
		return nil
	}
	agent, err := s.db.Agent(ctx, c.ID())
	if err != nil {
		return err
	}
	if !agent.Permissions.DownloadAttachments {
		return apperr.New(apperr.Forbidden, "attachment.no_download")
	}
	return nil
}

// writeAttachment sends a stored file with the headers that keep it a
// file: its stored type and no sniffing (a browser must never run it as a
// page), the name encoded safely (RFC 2231 for any non-ASCII), no shared
// caches. ServeContent adds ranges, for large PDFs.
func writeAttachment(w http.ResponseWriter, r *http.Request, a *store.Attachment, data []byte, disposition string) {
	h := w.Header()
	h.Set("Content-Type", a.ContentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	if cd := mime.FormatMediaType(disposition, map[string]string{"filename": a.Name}); cd != "" {
		h.Set("Content-Disposition", cd)
	} else {
		h.Set("Content-Disposition", disposition)
	}
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
}
