package report

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Layout is how a province writes one report kind: its outline, and the
// header and footer of the document (the number line, place and date,
// Kính gửi, the basis documents cited in the opening, Nơi nhận, the
// signer). Texts may hold the outline's placeholders ({year}, {province}…).
type Layout struct {
	Outline *Outline
	Number  string // "Số:      /BC-UBND"
	Issuer  string // empty: "ỦY BAN NHÂN DÂN " and the province, in capitals
	Place   string // empty: the province's name, "Hải Phòng"
	Date    string // after the place: "ngày    tháng    năm {year}"
	// Recipient is whom the report is sent to, after "Kính gửi: ".
	Recipient string
	// Basis are the documents the opening cites: "Thực hiện <basis>; <basis>, …".
	Basis []string
	// MonthlyBasis replaces Basis in a monthly report, which answers
	// another document (the Government Office's letter for the monthly
	// TTHC report) than the quarterly and annual ones.
	MonthlyBasis []string
	Copies       []string // Nơi nhận, one line each with its punctuation
	Signer       []string // the signing block's title lines
	SignerName   string
	// Empty is the line under a section that contributions fill and that
	// has nothing yet; "" leaves the heading alone.
	Empty string
	// Forms are the official forms' layouts; nil: the embedded ones.
	Forms Forms
}

// Header defaults, the same for every kind.
const (
	DefaultNumber = "Số:      /BC-UBND"
	DefaultDate   = "ngày    tháng    năm {year}"
	DefaultEmpty  = "Chưa có nội dung."
)

// DefaultSigner is the signing block's title lines.
var DefaultSigner = []string{"TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"}

// DefaultLayout is kind k's embedded outline with the default header and
// footer.
func DefaultLayout(k Kind) Layout {
	l := Layout{Outline: DefaultOutline(k), Number: DefaultNumber, Date: DefaultDate, Signer: DefaultSigner, Empty: DefaultEmpty}
	switch k {
	case Reform:
		l.Recipient = "Bộ Nội vụ"
		l.Copies = []string{"Bộ Nội vụ;", "Văn phòng Chính phủ;", "Các sở, ban, ngành;", "Lưu: VT."}
	case ProcedureControl:
		l.Recipient = procedureControlRecipient
		l.Basis = []string{"Thông tư số 01/2020/TT-VPCP ngày 21/10/2020 của Văn phòng Chính phủ"}
		l.MonthlyBasis = []string{"Văn bản số 5633/VPCP-KSTT ngày 25/7/2023 của Văn phòng Chính phủ"}
		l.Copies = []string{"Văn phòng Chính phủ (Cục Kiểm soát TTHC);", "Các sở, ban, ngành;", "Lưu: VT, KSTTHC."}
	}
	return l
}

// Layouts holds a layout per kind; a kind it lacks has its DefaultLayout.
type Layouts map[Kind]Layout

// For is kind k's layout.
func (ls Layouts) For(k Kind) Layout {
	if l, ok := ls[k]; ok && l.Outline != nil {
		return l
	}
	return DefaultLayout(k)
}

// Check checks the layout's texts: every placeholder known.
func (l Layout) Check() error {
	for _, s := range append([]string{l.Number, l.Issuer, l.Place, l.Date, l.Recipient, l.SignerName, l.Empty},
		append(append(append(append([]string{}, l.Basis...), l.MonthlyBasis...), l.Copies...), l.Signer...)...) {
		if err := checkTemplate(s); err != nil {
			return fmt.Errorf("%q: %w", s, err)
		}
	}
	return nil
}

// Build writes the report of kind k from d, in k's default layout.
func Build(k Kind, d *Data) *Document { return DefaultLayout(k).Build(d) }

// Build writes the report from d: the header and footer of l, and the
// sections of l's outline, each filled with its computed blocks, the other
// indicators it names, and the agencies' contributions to it (the
// province's own first, then in the form's order). What no section takes
// is listed in the document's Unplaced, never printed.
func (l Layout) Build(d *Data) *Document {
	o := l.Outline
	// the blocks write from a copy that records what they state
	v := vars(d, l.Recipient)
	// the blocks write from a copy that records what they state, with the
	// forms' layouts and the recipient
	dd := *d
	dd.rec = &recorder{kind: o.Kind, plans: outlinePlans(o)}
	dd.forms, dd.recipient = l.Forms, expand(l.Recipient, v)
	d = &dd
	x := func(s string) string { return expand(s, v) }
	lines := func(in []string) []string {
		out := make([]string, len(in))
		for i, s := range in {
			out[i] = x(s)
		}
		return out
	}
	doc := &Document{
		Kind:       o.Kind,
		Period:     d.Period,
		Number:     x(l.Number),
		Issuer:     x(l.Issuer),
		Place:      x(l.Place),
		Date:       x(l.Date),
		Title:      "BÁO CÁO",
		Subject:    x(o.Subject),
		Recipient:  "Kính gửi: " + x(l.Recipient),
		Intro:      x(o.Intro),
		Closing:    x(o.Closing),
		Recipients: lines(l.Copies),
		Signature:  lines(l.Signer),
		SignerName: x(l.SignerName),
	}
	if doc.Issuer == "" {
		doc.Issuer = strings.ToUpper("Ủy ban nhân dân " + d.Province)
	}
	if doc.Place == "" {
		doc.Place = placeName(d.Province)
	}
	basis := l.Basis
	if d.Period.Kind == Month && len(l.MonthlyBasis) > 0 {
		basis = l.MonthlyBasis
	}
	if len(basis) > 0 {
		doc.Intro = "Thực hiện " + strings.Join(lines(basis), "; ") + ", " + doc.Intro
	}
	parts, others := sectionParts(d, o.Kind), otherBlocks(d)
	counts := [4]int{}
	for i, s := range o.Sections {
		counts[s.Level]++
		for below := s.Level + 1; below < len(counts); below++ {
			counts[below] = 0
		}
		sec := Section{Key: s.Key, Level: s.Level, Heading: numbering(s.Level, counts[s.Level]) + " " + x(s.Heading)}
		d.rec.section = s.Key
		for _, name := range s.Computed {
			sec.Blocks = append(sec.Blocks, Blocks[name](d)...)
		}
		for _, name := range s.Indicators {
			sec.Blocks = append(sec.Blocks, others[name]...)
			delete(others, name)
		}
		if s.Contributions {
			for _, c := range parts[s.Key] {
				sec.Blocks = append(sec.Blocks, contributionBlocks(c)...)
				for _, f := range c.Figures {
					doc.Figures = append(doc.Figures, SectionFigure{Section: sec.Heading, Agency: c.AgencyName, Figure: f})
				}
			}
			delete(parts, s.Key)
		}
		// A section only contributions fill says so while it has none.
		leaf := i+1 == len(o.Sections) || o.Sections[i+1].Level <= s.Level
		if s.Contributions && len(sec.Blocks) == 0 && leaf && l.Empty != "" {
			sec.Blocks = []Block{Paragraph(x(l.Empty))}
		}
		doc.Sections = append(doc.Sections, sec)
	}
	doc.Unplaced = unplaced(o, parts, others)
	doc.Stated = d.rec.stated
	return doc
}

// planBlockKinds are the computed blocks that introduce plans, by the plan kind
// each introduces.
var planBlockKinds = map[string]string{
	"reform_plan": "reform", "procedure_control_plan": "procedure_control",
	"egov": "digital_government", "government_tasks": "government_assigned",
}

// outlinePlans are the plan kinds o's computed blocks introduce.
func outlinePlans(o *Outline) map[string]bool {
	out := map[string]bool{}
	for _, s := range o.Sections {
		for _, name := range s.Computed {
			if k, ok := planBlockKinds[name]; ok {
				out[k] = true
			}
		}
	}
	return out
}

// sectionParts are kind k's contributions of d by section key, in the
// order Data keeps them.
func sectionParts(d *Data, k Kind) map[string][]Contribution {
	out := map[string][]Contribution{}
	for _, c := range d.Contributions {
		if c.Kind == k {
			out[c.Section] = append(out[c.Section], c)
		}
	}
	return out
}

// otherBlocks states each indicator of kind other of d, by name.
func otherBlocks(d *Data) map[string][]Block {
	out := map[string][]Block{}
	for _, ind := range d.Others {
		s := fmt.Sprintf("%s (từ ngày %s đến ngày %s): %s.", ind.Name, Date(ind.From), Date(ind.To), withUnit(FigureValue(ind.Value), ind.Unit))
		out[ind.Name] = append(out[ind.Name], Paragraph(s))
	}
	return out
}

// unplaced names what no section of o took: contributions to keys o lacks
// or whose section takes no contributions, and indicators no section names.
func unplaced(o *Outline, parts map[string][]Contribution, others map[string][]Block) []Unplaced {
	sections := map[string]bool{}
	for _, s := range o.Sections {
		sections[s.Key] = true
	}
	var out []Unplaced
	for _, key := range slices.Sorted(maps.Keys(parts)) {
		reason := "the outline (" + o.Source + ") has no section " + key
		if sections[key] {
			reason = "the outline's section " + key + " takes no contributions"
		}
		for _, c := range parts[key] {
			out = append(out, Unplaced{Agency: c.Agency, Section: key, Reason: reason})
		}
	}
	for _, name := range slices.Sorted(maps.Keys(others)) {
		out = append(out, Unplaced{Name: name, Reason: "no section of the outline (" + o.Source + ") names it under indicators"})
	}
	return out
}
