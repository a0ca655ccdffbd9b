package conversation

import (
	"bytes"
	"mime"
	"net/http"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/switchboard-cc/switchboard/internal/apperr"
)

// AllowedAttachmentTypes are the files a conversation accepts, by the type
// read from their content. Pictures, PDFs and plain text cover what
// customers and agents exchange in a chat (a screenshot, a receipt, a log).
// Everything else is refused on purpose: HTML and SVG carry scripts that
// would run under Switchboard's own origin, office documents and archives
// carry macros and malware and cannot be told apart by their first bytes,
// and executables have no place in a chat.
var AllowedAttachmentTypes = []string{"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", "text/plain"}

// DefaultMaxAttachmentBytes limits files on accounts that have no limit of
// their own (only chat websites set one).
const DefaultMaxAttachmentBytes = 10 << 20

// maxAttachmentName is the longest file name kept, in characters.
const maxAttachmentName = 200

// CheckAttachment checks an uploaded file before it is stored: not empty,
// at most maxBytes (too_large, naming the limit in MB), of an allowed type
// read from its content, whatever its name claims (invalid on "file"). It
// returns the content type to store (text is stored as UTF-8). The name
// plays no part in the check; the store cleans it (CleanAttachmentName)
// whoever hands the file over.
func CheckAttachment(name string, data []byte, maxBytes int64) (contentType string, err error) {
	if int64(len(data)) > maxBytes {
		return "", apperr.New(apperr.TooLarge, "attachment.too_large", maxBytes>>20)
	}
	if len(data) == 0 {
		return "", apperr.Field("file", "field.required")
	}
	contentType = sniffAttachment(data)
	if contentType == "" {
		return "", apperr.Field("file", "attachment.type")
	}
	return contentType, nil
}

// sniffAttachment returns the allowed type of data, or "" when it is not
// one. http.DetectContentType reads only the first 512 bytes, so text is
// also checked whole: a binary file that starts like text is not text.
func sniffAttachment(data []byte) string {
	detected := http.DetectContentType(data)
	base, params, err := mime.ParseMediaType(detected)
	if err != nil {
		return ""
	}
	if base == "text/plain" {
		if params["charset"] != "utf-8" || !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0 {
			return ""
		}
		return "text/plain; charset=utf-8"
	}
	for _, t := range AllowedAttachmentTypes {
		if t == base {
			return base
		}
	}
	return ""
}

// attachmentExtensions name a file that came without a usable name.
var attachmentExtensions = map[string]string{
	"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp",
	"application/pdf": ".pdf", "text/plain": ".txt",
}

// CleanAttachmentName makes an uploaded file's name safe to store and to
// offer back for download: the last element of any path (browsers on
// Windows send C:\...), without control or invisible formatting characters
// (a right-to-left override can make "gpj.exe" read as "exe.jpg"), trimmed,
// at most 200 characters keeping its extension, and never empty
// ("attachment" with the type's extension).
func CleanAttachmentName(name, contentType string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if strings.Trim(name, ".") == "" || name == "/" {
		base, _, _ := mime.ParseMediaType(contentType)
		return "attachment" + attachmentExtensions[base]
	}
	runes := []rune(name)
	if len(runes) <= maxAttachmentName {
		return name
	}
	ext := []rune(path.Ext(name))
	if len(ext) > 20 {
		ext = nil
	}
	return strings.TrimSpace(string(runes[:maxAttachmentName-len(ext)])) + string(ext)
}
