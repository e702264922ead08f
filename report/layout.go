package report

import (
	"fmt"
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
	Basis      []string
	Copies     []string // Nơi nhận, one line each with its punctuation
	Signer     []string // the signing block's title lines
	SignerName string
	// Empty is the line under a section that contributions fill and that
	// has nothing yet; "" leaves the heading alone.
	Empty string
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
		l.Recipient = "Văn phòng Chính phủ"
		l.Basis = []string{"Thông tư số 01/2020/TT-VPCP ngày 21/10/2020 của Văn phòng Chính phủ"}
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
		append(append(append([]string{}, l.Basis...), l.Copies...), l.Signer...)...) {
		if err := checkTemplate(s); err != nil {
			return fmt.Errorf("%q: %w", s, err)
		}
	}
	return nil
}

// Build writes the report of kind k from d, in k's default layout.
func Build(k Kind, d *Data) *Document { return DefaultLayout(k).Build(d) }

// Build writes the report from d: the header and footer of l, and the
// sections of l's outline, each filled with its computed blocks.
func (l Layout) Build(d *Data) *Document {
	o := l.Outline
	v := vars(d, l.Recipient)
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
	if len(l.Basis) > 0 {
		doc.Intro = "Thực hiện " + strings.Join(lines(l.Basis), "; ") + ", " + doc.Intro
	}
	counts := [4]int{}
	for i, s := range o.Sections {
		counts[s.Level]++
		for below := s.Level + 1; below < len(counts); below++ {
			counts[below] = 0
		}
		sec := Section{Key: s.Key, Level: s.Level, Heading: numbering(s.Level, counts[s.Level]) + " " + x(s.Heading)}
		for _, name := range s.Computed {
			sec.Blocks = append(sec.Blocks, Blocks[name](d)...)
		}
		// Contributions are woven in here once they are on the stream; until
		// then a section only they fill says it has nothing yet.
		leaf := i+1 == len(o.Sections) || o.Sections[i+1].Level <= s.Level
		if s.Contributions && len(sec.Blocks) == 0 && leaf && l.Empty != "" {
			sec.Blocks = []Block{Paragraph(x(l.Empty))}
		}
		doc.Sections = append(doc.Sections, sec)
	}
	return doc
}
