// Package i18n renders the server's user-facing messages (errors, field
// problems) in the caller's language. English is the fallback.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"strings"

	"golang.org/x/text/language"
)

//go:embed locales/*.json
var files embed.FS

// Languages the server speaks, the first being the fallback.
var Languages = []language.Tag{language.English, language.Italian}

var (
	catalogs = map[string]map[string]string{}
	matcher  = language.NewMatcher(Languages)
)

func init() {
	for _, tag := range Languages {
		base, _ := tag.Base()
		b, err := files.ReadFile("locales/" + base.String() + ".json")
		if err != nil {
			panic("i18n: missing catalogue " + base.String())
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			panic("i18n: bad catalogue " + base.String() + ": " + err.Error())
		}
		catalogs[base.String()] = m
	}
}

// Match picks the best language for an Accept-Language header.
func Match(acceptLanguage string) string {
	tags, _, _ := language.ParseAcceptLanguage(acceptLanguage)
	tag, _, _ := matcher.Match(tags...)
	base, _ := tag.Base()
	if _, ok := catalogs[base.String()]; ok {
		return base.String()
	}
	return "en"
}

// T renders key in lang with args; an unknown key renders as itself so a
// missing translation is visible rather than silent.
func T(lang, key string, args ...any) string {
	msg, ok := catalogs[lang][key]
	if !ok {
		msg, ok = catalogs["en"][key]
	}
	if !ok {
		return key
	}
	if len(args) == 0 || !strings.Contains(msg, "%") {
		return msg
	}
	return fmt.Sprintf(msg, args...)
}

// Keys returns the keys of a language's catalogue (for tests).
func Keys(lang string) []string {
	out := make([]string, 0, len(catalogs[lang]))
	for k := range catalogs[lang] {
		out = append(out, k)
	}
	return out
}
