package bench

import (
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
)

// The contacts scenario's CSV file: a deterministic address book of
// Italian and international customers. Every row is a function of the
// seed and its index alone, so the file is streamed to the upload as it
// is made (never held in memory) and the searches afterwards rebuild any
// row they ask about.
//
// Most rows are new contacts. About 1 in 97 repeats an earlier contact's
// phone in another formatting (with a new segment): the import updates
// that contact. About 1 in 211 is bad (a phone that is no number, a broken
// email, a date that is none, nothing to name the contact): the import
// rejects it with its reasons.

// contactColumns is the file's header; segment and customer_since are the
// list's custom fields.
var contactColumns = []string{"first_name", "last_name", "company", "phone", "mobile", "email", "segment", "customer_since"}

var (
	firstNames = strings.Fields(`Marco Giulia Luca Francesca Alessandro Chiara Andrea Sara Matteo Valentina
		Lorenzo Martina Davide Elena Simone Federica Stefano Silvia Giuseppe Laura Francesco Anna Antonio Paola
		Roberto Alessia Paolo Elisa Giovanni Roberta Nicolò Ilaria Fabio Monica Riccardo Cristina Emanuele Serena
		Daniele Beatrice Tommaso Camilla Gabriele Aurora Filippo Greta Pietro Noemi Salvatore Teresa Vincenzo Rosa
		Carmela Domenico Gianluca Arianna Massimo Lucia Enrico Claudia James Emma Oliver Sophie William Charlotte
		Thomas Hannah Lukas Mia Jonas Lea Pierre Camille Louis Chloé Carlos Lucía Javier Sofía Mohamed Fatima
		Ahmed Yasmine Wei Mei Hiroshi Yuki Olga Ivan Anja Piotr Zofia Ana João Ines Kofi Amara`)
	lastNames = strings.Fields(`Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno
		Gallo Conti De_Luca Mancini Costa Giordano Rizzo Lombardi Moretti Barbieri Fontana Santoro Mariani Rinaldi
		Caruso Ferrara Galli Martini Leone Longo Gentile Martinelli Vitale Lombardo Serra Coppola De_Santis D'Angelo
		Marchetti Parisi Villa Conte Ferraro Ferri Fabbri Bianco Marini Grasso Valentini Messina Sala De_Angelis
		Gatti Pellegrini Palumbo Sanna Farina Rizzi Monti Cattaneo Morelli Amato Silvestri Mazza Testa Grassi
		Pellegrino Carbone Giuliani Benedetti Barone Rossetti Caputo Montanari Guerra Palmieri Bernardi Martino
		Fiore De_Rosa Ferretti Bellini Basile Riva Donati Piras Vitali Battaglia Sartori Neri Costantini Milani
		Pagano Ruggiero Sorrentino D'Amico Orlando Damico Negri Smith Jones Taylor Brown Williams Wilson Müller
		Schmidt Schneider Fischer Weber Martin Bernard Dubois Durand Lefèvre García Fernández López Martínez
		Sánchez Silva Santos Oliveira Kowalski Nowak Novak Ivanov Petrov Nielsen Jensen Hansen Andersson
		Johansson Tanaka Suzuki Chen Wang Li Zhang Kumar Singh Patel Okafor Mensah Haddad Yilmaz`)
	companyWords = strings.Fields(`Alfa Tecno Edil Agri Meccanica Logistica Trasporti Servizi Sistemi Consulting
		Tessile Alimentare Vini Oleificio Ceramiche Arredi Impianti Elettrica Idraulica Farmacia Studio Officina
		Costruzioni Immobiliare Assicurazioni Energia Solare Verde Blu Adriatica Tirrena Alpina Lombarda Veneta
		Toscana Sicula Sarda Ligure Emiliana Romana Partenopea Nord Sud Euro Medi Global Nova Prima Delta Omega
		Sigma Orion Vega Aurora Galileo Leonardo Volta Marconi Fermi Dante Petrarca Colosseo Vesuvio Etna Dolomiti
		Brenta Piave Arno Tevere Ticino Garda Como Iseo Maggiore Bormida Sesia Adda Oglio Mincio Secchia Panaro
		Reno Savio Metauro Tronto Pescara Sangro Biferno Ofanto Bradano Crati Neto Tirso Flumendosa Coghinas`)
	companySuffixes = []string{"S.r.l.", "S.p.A.", "S.n.c.", "S.a.s.", "Ltd", "GmbH", "SA", "& C.", "Group", "Srl"}
	segments        = []string{"bronze", "silver", "gold", "platinum"}
	emailDomains    = []string{"gmail.com", "libero.it", "hotmail.it", "yahoo.it", "outlook.com", "virgilio.it",
		"tiscali.it", "alice.it", "icloud.com", "fastwebnet.it"}
	// Italian mobile prefixes of the phone column; 35x are kept for the
	// mobile column, so the two never share a number.
	phoneMobilePrefixes  = []string{"320", "324", "327", "328", "329", "330", "331", "333", "334", "335", "336", "338", "339", "340", "342", "345", "346", "347", "348", "349", "366", "368", "370", "380", "388", "389", "391", "392", "393"}
	mobileColumnPrefixes = []string{"350", "351", "352", "353", "354", "355", "356", "357", "358", "359"}
)

// rowKind is what a row of the file is for the import.
type rowKind int

const (
	rowNew       rowKind = iota // a new contact
	rowDuplicate                // an earlier contact's phone again: updates it
	rowBad                      // rejected
)

// contactData makes the scenario's rows.
type contactData struct {
	seed uint64
	rows int
}

// kind tells what row i (0-based) is. The first thousand rows are all
// new, so a duplicate always has an earlier contact to repeat.
func (d contactData) kind(i int) rowKind {
	switch {
	case i < 1000:
		return rowNew
	case i%211 == 13:
		return rowBad
	case i%97 == 5:
		return rowDuplicate
	}
	return rowNew
}

// expected are the counts a correct import reports.
func (d contactData) expected() (created, updated, rejected int) {
	for i := range d.rows {
		switch d.kind(i) {
		case rowNew:
			created++
		case rowDuplicate:
			updated++
		case rowBad:
			rejected++
		}
	}
	return
}

// sampleContact is a new row as a search sees it.
type sampleContact struct {
	first, last, company string
	companyWord          string
	phoneE164            string
	phoneNational        string // the digits after the country code, for Italian numbers ("" for others)
	phoneShown           string // as the file writes it
	phoneCountry         string // "39", "44", …
	mobileE164           string
	email                string
	segment              string
	since                string
}

// rng is row i's own random source: any row can be rebuilt alone.
func (d contactData) rng(i int) *rand.Rand {
	return rand.New(rand.NewPCG(d.seed, uint64(i)*0x9E3779B97F4A7C15+1))
}

// contact builds new row i (whatever its kind: a duplicate of j repeats
// contact(j)'s person).
func (d contactData) contact(i int) sampleContact {
	r := d.rng(i)
	pick := func(s []string) string { return s[r.IntN(len(s))] }
	c := sampleContact{first: pick(firstNames), last: strings.ReplaceAll(pick(lastNames), "_", " ")}
	// A bijection of the index over 10^7, so every contact has its own number.
	unique := (uint64(i)*7919 + 1234567) % 10_000_000
	switch n := r.IntN(100); {
	case n < 82: // Italian mobile
		c.phoneCountry = "39"
		c.phoneNational = pick(phoneMobilePrefixes) + fmt.Sprintf("%07d", unique)
	case n < 88: // Italian landline: Milan 02, Rome 06, Turin 011
		c.phoneCountry = "39"
		c.phoneNational = []string{"02", "06"}[r.IntN(2)] + fmt.Sprintf("%08d", unique*7%100_000_000)
	case n < 92:
		c.phoneCountry = "44"
		c.phoneNational = "7" + fmt.Sprintf("%09d", unique)
	case n < 95:
		c.phoneCountry = "49"
		c.phoneNational = "151" + fmt.Sprintf("%08d", unique)
	case n < 97:
		c.phoneCountry = "33"
		c.phoneNational = "6" + fmt.Sprintf("%08d", unique)
	default:
		c.phoneCountry = "1"
		c.phoneNational = []string{"212", "415", "646"}[r.IntN(3)] + fmt.Sprintf("%07d", unique)
	}
	c.phoneE164 = "+" + c.phoneCountry + c.phoneNational
	c.phoneShown = formatPhone(c.phoneCountry, c.phoneNational, r.IntN(8))
	if r.IntN(5) == 0 {
		c.mobileE164 = "+39" + pick(mobileColumnPrefixes) + fmt.Sprintf("%07d", unique)
	}
	if r.IntN(3) > 0 { // a third are private customers without a company
		c.companyWord = pick(companyWords)
		c.company = c.companyWord + " " + pick(companyWords) + " " + pick(companySuffixes)
	}
	if r.IntN(10) > 0 {
		c.email = emailLocal(c.first) + "." + emailLocal(c.last) + strconv.Itoa(i) + "@" + pick(emailDomains)
	}
	c.segment = pick(segments)
	c.since = fmt.Sprintf("%04d-%02d-%02d", 2000+r.IntN(26), 1+r.IntN(12), 1+r.IntN(28))
	return c
}

// duplicateOf is the earlier new contact duplicate row i repeats.
func (d contactData) duplicateOf(i int) int {
	r := d.rng(i)
	j := i - 1 - r.IntN(min(i, 50_000))
	for d.kind(j) != rowNew {
		j--
	}
	return j
}

// record writes row i of the file into rec (len(contactColumns)).
func (d contactData) record(i int, rec []string) {
	clear(rec)
	switch d.kind(i) {
	case rowNew:
		c := d.contact(i)
		rec[0], rec[1], rec[2], rec[3] = c.first, c.last, c.company, c.phoneShown
		if c.mobileE164 != "" {
			rec[4] = formatPhone("39", strings.TrimPrefix(c.mobileE164, "+39"), i%8)
		}
		rec[5], rec[6], rec[7] = emailShown(c.email, i), c.segment, c.since
	case rowDuplicate:
		// The same person again, his number written another way, in a new
		// segment; no email or mobile, so what the contact has stays.
		c := d.contact(d.duplicateOf(i))
		rec[0], rec[1], rec[2] = c.first, c.last, c.company
		rec[3] = formatPhone(c.phoneCountry, c.phoneNational, (i+3)%8)
		rec[6] = segments[(i/97)%len(segments)]
	case rowBad:
		c := d.contact(i)
		rec[0], rec[1], rec[3], rec[5] = c.first, c.last, c.phoneShown, c.email
		switch (i / 211) % 4 {
		case 0:
			rec[3] = "12-ab-" + strconv.Itoa(i%1000) // not a number
		case 1:
			rec[5] = emailLocal(c.first) + "@" // no domain
		case 2:
			rec[7] = "31/02/" + strconv.Itoa(2000+i%25) // not a date (YYYY-MM-DD)
		case 3:
			rec[0], rec[1], rec[3], rec[5] = "", "", "", "" // nothing names the contact
			rec[6] = "gold"
		}
	}
}

// emailShown writes some addresses in capitals: the import lowercases them.
func emailShown(email string, i int) string {
	if i%13 == 0 {
		return strings.ToUpper(email)
	}
	return email
}

// formatPhone writes a number one of the ways people type them.
func formatPhone(country, national string, style int) string {
	if country != "39" {
		switch style % 3 {
		case 0:
			return "+" + country + national
		case 1:
			return "00" + country + " " + national
		}
		return "+" + country + " " + spaced(national)
	}
	n := national
	switch style % 8 {
	case 0:
		return "+39 " + spaced(n)
	case 1:
		return "+39" + n
	case 2:
		return "0039 " + n
	case 3:
		return n[:3] + "-" + n[3:]
	case 4:
		return n[:3] + " " + n[3:]
	case 5:
		return n[:3] + "." + n[3:6] + "." + n[6:]
	case 6:
		return "(" + n[:3] + ") " + n[3:6] + " " + n[6:]
	}
	return n
}

// spaced groups digits 3-3-rest, as they are read aloud.
func spaced(d string) string {
	if len(d) < 7 {
		return d
	}
	return d[:3] + " " + d[3:6] + " " + d[6:]
}

// emailLocal makes a name fit an address: lowercase ASCII.
func emailLocal(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteRune(r)
		case strings.ContainsRune("àáâä", r):
			b.WriteByte('a')
		case strings.ContainsRune("èéê", r):
			b.WriteByte('e')
		case strings.ContainsRune("ìí", r):
			b.WriteByte('i')
		case strings.ContainsRune("òóöô", r):
			b.WriteByte('o')
		case strings.ContainsRune("ùúü", r):
			b.WriteByte('u')
		case r == 'ç':
			b.WriteByte('c')
		case r == 'ã':
			b.WriteByte('a')
		}
	}
	return b.String()
}

// writeCSV writes the whole file, counting its bytes.
func (d contactData) writeCSV(w io.Writer) (int64, error) {
	cw := &countingWriter{w: w}
	out := csv.NewWriter(cw)
	if err := out.Write(contactColumns); err != nil {
		return cw.n, err
	}
	rec := make([]string, len(contactColumns))
	for i := range d.rows {
		d.record(i, rec)
		if err := out.Write(rec); err != nil {
			return cw.n, err
		}
	}
	out.Flush()
	return cw.n, out.Error()
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
