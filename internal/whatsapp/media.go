package whatsapp

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/conversation"
)

// WhatsApp's media limits (the Cloud API's, which Twilio's WhatsApp
// channel shares), by kind.
var providerLimits = map[string]int64{
	KindImage:    5 << 20,
	KindAudio:    16 << 20,
	KindVideo:    16 << 20,
	KindDocument: 100 << 20,
	KindSticker:  500 << 10,
}

// MaxStoredBytes is the largest file Switchboard keeps from WhatsApp: the
// largest any account may accept (files live in the database, and a
// conversation is no place for larger ones). A bigger document is noted in
// the conversation instead.
const MaxStoredBytes = int64(conversation.MaxAttachmentMB) << 20

// MaxMediaBytes is the largest file of a kind that is fetched and kept:
// the provider's limit, capped by MaxStoredBytes.
func MaxMediaBytes(kind string) int64 {
	limit, ok := providerLimits[kind]
	if !ok {
		limit = providerLimits[KindDocument]
	}
	return min(limit, MaxStoredBytes)
}

// mediaTypes are the audio and video types WhatsApp carries (voice notes
// are Opus in Ogg; clips MP4 or 3GPP), accepted from WhatsApp on top of the
// pictures, PDFs and texts every conversation accepts. The chat widget's
// list stays as it is.
var mediaTypes = []string{"audio/ogg", "audio/opus", "audio/aac", "audio/amr", "audio/mp4", "audio/mpeg", "video/mp4", "video/3gpp"}

// Playable reports whether a file is one of WhatsApp's audio and video
// types, which the desktop plays in the page.
func Playable(contentType string) bool { return slices.Contains(mediaTypes, contentType) }

// harmlessSniff reports what the content of an audio or video file may look
// like to a browser: anything that could render as a page (HTML, SVG, XML)
// is refused whatever the provider declared.
func harmlessSniff(sniffed string) bool {
	base, _, _ := mime.ParseMediaType(sniffed)
	return base == "application/octet-stream" || base == "application/ogg" ||
		strings.HasPrefix(base, "audio/") || strings.HasPrefix(base, "video/")
}

// CheckMedia decides the content type a fetched file is stored with:
// the conversation's own rules first (content-sniffed pictures, PDFs,
// texts), else one of WhatsApp's audio and video types as declared, when
// the content cannot be mistaken for a page.
func CheckMedia(name string, data []byte, declared string, maxBytes int64) (string, error) {
	ct, err := conversation.CheckAttachment(name, data, maxBytes)
	if err == nil || !apperr.Is(err, apperr.Invalid) {
		return ct, err
	}
	base, _, perr := mime.ParseMediaType(declared)
	if perr != nil {
		return "", err
	}
	for _, t := range mediaTypes {
		if t == base && harmlessSniff(http.DetectContentType(data)) {
			return base, nil
		}
	}
	return "", err
}

// extensions name a file that came without a name (WhatsApp names only
// documents).
var extensions = map[string]string{
	"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "image/gif": ".gif",
	"audio/ogg": ".ogg", "audio/opus": ".opus", "audio/aac": ".aac", "audio/amr": ".amr", "audio/mp4": ".m4a",
	"audio/mpeg": ".mp3", "video/mp4": ".mp4", "video/3gpp": ".3gp", "application/pdf": ".pdf", "text/plain": ".txt",
}

// File is a fetched, checked file ready to store.
type File struct {
	Name        string
	ContentType string
	Data        []byte
}

// MediaError is a file that could not be fetched. A permanent one (the
// provider no longer has it, it is over the limit or of a refused type)
// is noted in the conversation; any other error is transient and the
// webhook asks the provider to retry.
type MediaError struct {
	Reason string // "missing", "too_large", "type"
	Type   string // the declared type
	Limit  int64  // bytes, for too_large
}

func (e *MediaError) Error() string { return "whatsapp: media " + e.Reason + " (" + e.Type + ")" }

// Note is the conversation's note about the file, in the words t gives.
func (e *MediaError) Note(t func(key string, args ...any) string) string {
	switch e.Reason {
	case "too_large":
		return t("whatsapp.media_too_large", e.Type, humanSize(e.Limit))
	case "type":
		return t("whatsapp.media_type", e.Type)
	}
	return t("whatsapp.media_missing", e.Type)
}

// Fetcher downloads the files customers send.
type Fetcher struct {
	HTTP *http.Client
}

// Fetch downloads a message's file from the account's provider and checks
// it: Meta in two steps (the media id gives a URL, both asked with the
// access token), Twilio from its media URL with basic auth.
func (f *Fetcher) Fetch(ctx context.Context, a *Account, m *Message) (*File, error) {
	limit := MaxMediaBytes(m.Kind)
	var req *http.Request
	var err error
	media := *m.Media
	switch a.Provider {
	case Meta:
		if media, err = f.metaMediaURL(ctx, a, media, limit); err != nil {
			return nil, err
		}
		if req, err = http.NewRequestWithContext(ctx, http.MethodGet, media.URL, nil); err != nil {
			return nil, err
		}
		req.Header.Set("Authorization", "Bearer "+a.Secrets.AccessToken)
	case Twilio:
		if req, err = http.NewRequestWithContext(ctx, http.MethodGet, media.URL, nil); err != nil {
			return nil, err
		}
		req.SetBasicAuth(a.AccountSID, a.Secrets.AuthToken)
	default:
		return nil, fmt.Errorf("whatsapp: unknown provider %q", a.Provider)
	}
	data, err := f.download(req, media.MIMEType, limit)
	if err != nil {
		return nil, err
	}
	if media.SHA256 != "" {
		sum := sha256.Sum256(data)
		if !strings.EqualFold(hex.EncodeToString(sum[:]), media.SHA256) {
			return nil, errors.New("whatsapp: media digest mismatch") // a broken download: retried
		}
	}
	name := media.Filename
	if name == "" {
		name = path.Base(req.URL.Path)
		if base, _, _ := mime.ParseMediaType(media.MIMEType); path.Ext(name) == "" {
			name += extensions[base]
		}
	}
	ct, err := CheckMedia(name, data, media.MIMEType, limit)
	if err != nil {
		if apperr.Is(err, apperr.Invalid) {
			return nil, &MediaError{Reason: "type", Type: media.MIMEType}
		}
		return nil, &MediaError{Reason: "too_large", Type: media.MIMEType, Limit: limit}
	}
	return &File{Name: name, ContentType: ct, Data: data}, nil
}

// metaMediaURL asks the Graph API for a media id's URL, type, digest and
// size.
func (f *Fetcher) metaMediaURL(ctx context.Context, a *Account, m Media, limit int64) (Media, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet,
		a.APIBase()+"/"+GraphVersion+"/"+url.PathEscape(m.ID), nil)
	if err != nil {
		return m, err
	}
	req.Header.Set("Authorization", "Bearer "+a.Secrets.AccessToken)
	raw, err := f.download(req, m.MIMEType, 1<<20)
	if err != nil {
		return m, err
	}
	var info struct {
		URL      string `json:"url"`
		MIMEType string `json:"mime_type"`
		SHA256   string `json:"sha256"`
		FileSize int64  `json:"file_size"`
	}
	if err := json.Unmarshal(raw, &info); err != nil || info.URL == "" {
		return m, fmt.Errorf("whatsapp: media %s: unreadable answer", m.ID)
	}
	if info.FileSize > limit {
		return m, &MediaError{Reason: "too_large", Type: m.MIMEType, Limit: limit}
	}
	m.URL = info.URL
	if info.MIMEType != "" {
		m.MIMEType = info.MIMEType
	}
	if info.SHA256 != "" {
		m.SHA256 = info.SHA256
	}
	return m, nil
}

// download reads an answer of at most limit bytes. A 4xx other than 408
// and 429 means the file is gone for good; a 5xx, a timeout or a network
// error may pass.
func (f *Fetcher) download(req *http.Request, mimeType string, limit int64) ([]byte, error) {
	client := f.HTTP
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusRequestTimeout || resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return nil, fmt.Errorf("whatsapp: media server answered %d", resp.StatusCode)
	case resp.StatusCode >= 400:
		return nil, &MediaError{Reason: "missing", Type: mimeType}
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("whatsapp: media server answered %d", resp.StatusCode)
	}
	if resp.ContentLength > limit {
		return nil, &MediaError{Reason: "too_large", Type: mimeType, Limit: limit}
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, &MediaError{Reason: "too_large", Type: mimeType, Limit: limit}
	}
	return data, nil
}

// humanSize writes a limit as people read it: "16 MB", "500 KB".
func humanSize(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d KB", n>>10)
}
