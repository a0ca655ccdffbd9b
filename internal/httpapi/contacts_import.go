package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/switchboard-cc/switchboard/internal/apperr"
	"github.com/switchboard-cc/switchboard/internal/contacts"
	"github.com/switchboard-cc/switchboard/internal/i18n"
	"github.com/switchboard-cc/switchboard/internal/store"
)

// CSV import of contacts: the file is uploaded with the list and the
// column mapping, kept in a temporary file, and imported in the
// background (contacts.Phones.Run); its importer follows it with GET
// /contact-imports/{id} and realtime contact_import.* events, and
// downloads the rejected rows with their reasons.

// maxImportBytes is the largest CSV file accepted (a million contacts
// take about 100 MB).
const maxImportBytes = 512 << 20

// importJSON is an import as its importer sees it.
type importJSON struct {
	*store.ContactImport
	Failure *string `json:"failure"` // why it failed, in the caller's language
}

func (s *Server) importView(r *http.Request, im *store.ContactImport) importJSON {
	out := importJSON{ContactImport: im}
	if im.Failure != nil {
		msg := i18n.T(i18n.Match(r.Header.Get("Accept-Language")), im.Failure.Key, im.Failure.Args...)
		out.Failure = &msg
	}
	return out
}

// importForm is what the upload carries besides the file.
type importForm struct {
	listID  int64
	header  bool
	comma   rune
	targets []string
	name    string
	path    string // the temporary copy of the file
}

// createImport takes a CSV upload (multipart: list_id, the file, and
// optionally header, delimiter and mapping) and starts importing it.
func (s *Server) createImport(w http.ResponseWriter, r *http.Request) error {
	form, err := readImportForm(r)
	if form.path != "" {
		defer func() {
			if form.path != "" { // not handed to the import
				os.Remove(form.path)
			}
		}()
	}
	if err != nil {
		return err
	}
	cs, err := s.contactScope(r)
	if err != nil {
		return err
	}
	if err := editableList(cs, form.listID, "list_id"); err != nil {
		return err
	}
	if _, err := s.db.List(r.Context(), form.listID); apperr.Is(err, apperr.NotFound) {
		return apperr.Field("list_id", "id.unknown", form.listID)
	} else if err != nil {
		return err
	}
	defs, err := s.db.ListFields(r.Context(), form.listID)
	if err != nil {
		return err
	}
	if form.targets == nil {
		if !form.header {
			return apperr.Field("mapping", "field.required")
		}
		if form.targets, err = headerTargets(form.path, form.comma, defs); err != nil {
			return err
		}
	}
	if err := contacts.CheckTargets(form.targets, defs); err != nil {
		return err
	}
	tags, err := s.importTags(r, form.targets)
	if err != nil {
		return err
	}
	caller := callerFrom(r.Context()).ID()
	im, err := s.db.CreateImport(r.Context(), form.listID, caller, form.name)
	if err != nil {
		return err
	}
	job := contacts.Import{ID: im.ID, ListID: form.listID, Header: form.header, Comma: form.comma, Targets: form.targets,
		Fields: defs, Tags: tags, Clock: s.clock}
	path := form.path
	form.path = "" // the import removes it
	go s.runImport(job, path)
	writeJSON(w, http.StatusAccepted, s.importView(r, im))
	return nil
}

// importTags are the tags a file's tags column may name, by lowercase name
// (none read when no column is mapped to tags).
func (s *Server) importTags(r *http.Request, targets []string) (map[string]int64, error) {
	if !slices.Contains(targets, contacts.TagsTarget) {
		return nil, nil
	}
	all, err := s.db.Tags(r.Context())
	if err != nil {
		return nil, err
	}
	byName := make(map[string]int64, len(all))
	for _, t := range all {
		byName[strings.ToLower(t.Name)] = t.ID
	}
	return byName, nil
}

// runImport imports a file in the background, then removes it. A server
// shutting down interrupts it (the import fails, saying so).
func (s *Server) runImport(job contacts.Import, path string) {
	defer os.Remove(path)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-s.closing:
			cancel()
		case <-ctx.Done():
		}
	}()
	f, err := os.Open(path)
	if err == nil {
		err = s.phones().Run(ctx, s.db, job, f)
		f.Close()
	}
	if err != nil {
		s.log.Warn("contact import failed", "import_id", job.ID, "err", err)
	}
}

// readImportForm streams the multipart upload, the file into a temporary
// file.
func readImportForm(r *http.Request) (importForm, error) {
	form := importForm{header: true}
	mr, err := r.MultipartReader()
	if err != nil {
		return form, apperr.Field("file", "upload.invalid")
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return form, uploadError(err)
		}
		if part.FormName() == "file" {
			if form.path != "" {
				return form, apperr.Field("file", "field.too_many", 1)
			}
			if form.path, err = saveUpload(part); err != nil {
				return form, err
			}
			form.name = uploadName(part.FileName())
			continue
		}
		b, err := io.ReadAll(io.LimitReader(part, 64<<10))
		if err != nil {
			return form, uploadError(err)
		}
		if err := form.set(part.FormName(), strings.TrimSpace(string(b))); err != nil {
			return form, err
		}
	}
	switch {
	case form.path == "":
		return form, apperr.Field("file", "field.required")
	case form.listID == 0:
		return form, apperr.Field("list_id", "field.required")
	}
	return form, nil
}

// set reads one form value.
func (f *importForm) set(name, v string) error {
	switch name {
	case "list_id":
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return apperr.Field("list_id", "id.invalid")
		}
		f.listID = id
	case "header":
		b, err := strconv.ParseBool(v)
		if err != nil {
			return apperr.Field("header", "boolean.invalid")
		}
		f.header = b
	case "delimiter":
		switch v {
		case "", "auto":
		case ",", ";", "|":
			f.comma = rune(v[0])
		case "tab", "\\t":
			f.comma = '\t'
		default:
			return apperr.Field("delimiter", "delimiter.invalid")
		}
	case "mapping":
		if v == "" {
			return nil
		}
		if err := json.Unmarshal([]byte(v), &f.targets); err != nil || f.targets == nil {
			return apperr.Field("mapping", "mapping.invalid")
		}
	}
	return nil
}

func saveUpload(part *multipart.Part) (string, error) {
	tmp, err := os.CreateTemp("", "switchboard-import-*.csv")
	if err != nil {
		return "", err
	}
	_, err = io.Copy(tmp, part)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", uploadError(err)
	}
	return tmp.Name(), nil
}

func uploadError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return apperr.New(apperr.TooLarge, "error.too_large", tooBig.Limit)
	}
	return apperr.Field("file", "upload.invalid")
}

// uploadName keeps the base name of an uploaded file, at most 200
// characters.
func uploadName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	if name == "." || name == "/" {
		return ""
	}
	if utf8.RuneCountInString(name) > 200 {
		name = string([]rune(name)[:200])
	}
	return name
}

// headerTargets maps the file's header row onto the list's fields; a
// header that names none of them is an error on mapping.
func headerTargets(path string, comma rune, defs []contacts.Field) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	header, err := contacts.ReadHeader(f, comma)
	if err != nil {
		return nil, apperr.Field("file", "import.no_header")
	}
	return contacts.AutoTargets(header, defs), nil
}

// importFor loads an import of the caller's (admins: anyone's).
func (s *Server) importFor(r *http.Request) (*store.ContactImport, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	im, err := s.db.ContactImport(r.Context(), id)
	if err != nil {
		return nil, err
	}
	c := callerFrom(r.Context())
	if !c.IsAdmin() && (im.PrincipalID == nil || *im.PrincipalID != c.ID()) {
		return nil, apperr.New(apperr.Forbidden, "import.not_yours")
	}
	return im, nil
}

func (s *Server) getImport(w http.ResponseWriter, r *http.Request) error {
	im, err := s.importFor(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.importView(r, im))
	return nil
}

// importRejects downloads the rows an import rejected: line, and the
// reasons in the caller's language ("field: problem; …"), a custom field
// named by its label, as the importer saw it when mapping the columns.
func (s *Server) importRejects(w http.ResponseWriter, r *http.Request) error {
	im, err := s.importFor(r)
	if err != nil {
		return err
	}
	rejects, err := s.db.ImportRejects(r.Context(), im.ID)
	if err != nil {
		return err
	}
	labels, err := s.customFieldLabels(r.Context(), im.ListID)
	if err != nil {
		return err
	}
	lang := i18n.Match(r.Header.Get("Accept-Language"))
	rows := [][]string{{"line", "reason"}}
	for _, rj := range rejects {
		fields := make([]string, 0, len(rj.Reasons))
		for f := range rj.Reasons {
			fields = append(fields, f)
		}
		sort.Strings(fields)
		reasons := make([]string, len(fields))
		for n, f := range fields {
			m := rj.Reasons[f]
			name := f
			if label, ok := labels[f]; ok {
				name = label
			}
			reasons[n] = name + ": " + i18n.T(lang, m.Key, m.Args...)
		}
		rows = append(rows, []string{strconv.Itoa(rj.Line), strings.Join(reasons, "; ")})
	}
	return writeCSV(w, "import-"+strconv.FormatInt(im.ID, 10)+"-rejected.csv", rows)
}

// customFieldLabels gives the label of each custom field of a list by the
// name a reason carries ("fields.tier" → "Tier"); none when the list is
// gone.
func (s *Server) customFieldLabels(ctx context.Context, listID *int64) (map[string]string, error) {
	labels := map[string]string{}
	if listID == nil {
		return labels, nil
	}
	defs, err := s.db.ListFields(ctx, *listID)
	if err != nil {
		return nil, err
	}
	for _, d := range defs {
		labels["fields."+d.Key] = d.Label
	}
	return labels, nil
}
