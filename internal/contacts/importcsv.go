package contacts

import (
	"slices"
	"strconv"
	"strings"

	"github.com/switchboard-cc/switchboard/internal/apperr"
)

// CSV import: each column of the file goes to a field (a standard field
// or a custom field's key) or nowhere (""); each row becomes a contact, or
// is rejected with the reasons, by line.

// MaxImportColumns bounds a file's width.
const MaxImportColumns = 200

// CheckTargets checks a column mapping against a list's custom fields (or
// TagsTarget): at least one column mapped, each field at most once.
func CheckTargets(targets []string, defs []Field) error {
	fe := apperr.FieldErrors{}
	if len(targets) > MaxImportColumns {
		fe.Add("mapping", "field.too_many", MaxImportColumns)
		return fe.Err()
	}
	seen := map[string]bool{}
	for n, t := range targets {
		if t == "" {
			continue
		}
		if !slices.Contains(StandardFields, t) && t != TagsTarget && fieldByKey(defs, t) == nil {
			fe.Add("mapping."+strconv.Itoa(n), "field.unknown")
			continue
		}
		if seen[t] {
			fe.Add("mapping."+strconv.Itoa(n), "mapping.twice", t)
		}
		seen[t] = true
	}
	if len(seen) == 0 && len(fe) == 0 {
		fe.Add("mapping", "mapping.empty")
	}
	return fe.Err()
}

// AutoTargets maps a header row onto fields whose name, key or label it
// repeats (ignoring case, spaces and underscores).
func AutoTargets(header []string, defs []Field) []string {
	norm := func(s string) string {
		return strings.NewReplacer(" ", "", "_", "", "-", "").Replace(strings.ToLower(strings.TrimSpace(s)))
	}
	names := map[string]string{}
	for _, f := range StandardFields {
		names[norm(f)] = f
	}
	for _, alias := range [][2]string{{"firstname", "first_name"}, {"name", "first_name"}, {"surname", "last_name"},
		{"lastname", "last_name"}, {"telephone", "phone"}, {"phonenumber", "phone"}, {"cell", "mobile"},
		{"cellphone", "mobile"}, {"mail", "email"}, {"emailaddress", "email"}, {"organisation", "company"},
		{"organization", "company"}, {"nome", "first_name"}, {"cognome", "last_name"}, {"telefono", "phone"},
		{"cellulare", "mobile"}, {"azienda", "company"}, {"societa", "company"}, {"società", "company"},
		{"tags", TagsTarget}, {"tag", TagsTarget}, {"etichette", TagsTarget}} {
		names[alias[0]] = alias[1]
	}
	for _, d := range defs {
		names[norm(d.Key)] = d.Key
		names[norm(d.Label)] = d.Key
	}
	out := make([]string, len(header))
	used := map[string]bool{}
	for i, h := range header {
		if t, ok := names[norm(h)]; ok && !used[t] {
			out[i], used[t] = t, true
		}
	}
	return out
}

// RowInput is a CSV record as the input of a new contact, by the mapping.
func RowInput(rec []string, targets []string) Input {
	in := Input{Fields: map[string]any{}}
	std := map[string]**string{"first_name": &in.FirstName, "last_name": &in.LastName, "company": &in.Company,
		"phone": &in.Phone, "mobile": &in.Mobile, "fax": &in.Fax, "email": &in.Email}
	for n, t := range targets {
		if t == "" || t == TagsTarget || n >= len(rec) { // tags: see rowTags
			continue
		}
		v := rec[n]
		if dst, ok := std[t]; ok {
			*dst = &v
			continue
		}
		in.Fields[t] = v
	}
	return in
}
