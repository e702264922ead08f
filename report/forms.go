package report

import (
	"cmp"
	_ "embed"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// formHeader is the header of the Thông tư 01/2020 dossier form.
func formHeader(first string) [][]Cell {
	return [][]Cell{
		{span("STT", 1), span(first, 1), span("Số hồ sơ nhận giải quyết", 4), span("Số hồ sơ đã giải quyết", 4), span("Số hồ sơ đang giải quyết", 3)},
		{text(""), text(""), bold("Tổng số"), bold("Trực tuyến"), bold("Trực tiếp, bưu chính"), bold("Kỳ trước chuyển qua"),
			bold("Tổng số"), bold("Trước hạn"), bold("Đúng hạn"), bold("Quá hạn"), bold("Tổng số"), bold("Trong hạn"), bold("Quá hạn")},
		{text("(1)"), text("(2)"), text("(3)"), text("(4)"), text("(5)"), text("(6)"), text("(7)"), text("(8)"), text("(9)"), text("(10)"), text("(11)"), text("(12)"), text("(13)")},
	}
}

func formRow(n int, name string, f Form) []Cell {
	row := []Cell{text(fmt.Sprint(n)), text(name)}
	for _, v := range f.Columns() {
		row = append(row, num(v))
	}
	return row
}

func formTable(caption, name string, rows [][]Cell) *Table {
	first := "Cơ quan, đơn vị"
	switch {
	case name == "Theo cấp":
		first = "Cấp"
	case name == "Theo tháng":
		first = "Tháng"
	case strings.Contains(name, "lĩnh vực"):
		first = "Lĩnh vực"
	}
	return &Table{Name: name, Caption: caption, Header: formHeader(first), Rows: rows}
}

func levelRows(d *Data) [][]Cell {
	var rows [][]Cell
	for i, l := range LevelGroups {
		rows = append(rows, formRow(i+1, l.Name, d.ByLevel[l.Key]))
	}
	return withTotal(rows, d.Total)
}

func agencyTable(d *Data) *Table {
	var rows [][]Cell
	n := 0
	for _, l := range LevelGroups {
		section := false
		for _, a := range d.Agencies {
			if a.LevelGroup != l.Key {
				continue
			}
			if !section {
				rows = append(rows, []Cell{bold(""), bold(l.Name)})
				section = true
			}
			n++
			name := a.AgencyName
			if name == "" {
				name = a.Agency
			}
			rows = append(rows, formRow(n, name, a.Form))
		}
	}
	return formTable("Tình hình, kết quả giải quyết TTHC theo cơ quan, đơn vị", "Hồ sơ theo cơ quan", rows)
}

func fieldTable(d *Data) *Table {
	var rows [][]Cell
	n := 0
	for _, l := range LevelGroups {
		section := false
		for _, f := range d.Fields {
			if f.LevelGroup != l.Key {
				continue
			}
			if !section {
				rows = append(rows, []Cell{bold(""), bold(l.Name)})
				section = true
			}
			n++
			name := f.Field
			if name == "" {
				name = "(chưa xác định lĩnh vực)"
			}
			rows = append(rows, formRow(n, name, f.Form))
		}
	}
	return formTable("Tình hình, kết quả giải quyết TTHC theo lĩnh vực", "Hồ sơ theo lĩnh vực", rows)
}

// The official forms of Thông tư 01/2020/TT-VPCP the KSTTHC report carries,
// by key: their layouts are data (forms/forms.yaml, embedded; a province's
// file replaces the forms it gives: --document-forms), the rows are computed.
const (
	FormDossiers   = "dossiers"   // Biểu số 06/VPCP/KSTT
	FormCentre     = "centre"     // Biểu số II.06a/VPCP/KSTT
	FormProcedures = "procedures" // Biểu số II.07b/VPCP/KSTT
)

// formColumns is the number of columns each form's rows fill.
var formColumns = map[string]int{FormDossiers: 13, FormCentre: 13, FormProcedures: 13}

// FormLayout is how one official form is printed: its code, the lines above
// it and its column headings, grouped under merged headings.
type FormLayout struct {
	Key    string
	Code   string // "Biểu số 06/VPCP/KSTT"
	Issued string // "Ban hành theo Thông tư số 01/2020/TT-VPCP ngày 21/10/2020"
	Title  string
	Unit   string // "Đơn vị tính: Số hồ sơ TTHC"
	Sheet  string // the workbook sheet's name
	// Groups names the row groups by level group (province, district,
	// commune), for the forms whose rows are grouped by level.
	Groups  map[string]string
	Columns []FormColumn // every column, in order
}

// FormColumn is one column of a form: its heading, under Group's merged
// heading when Group is not empty.
type FormColumn struct{ Group, Heading string }

// Forms are the form layouts by key.
type Forms map[string]FormLayout

//go:embed forms/forms.yaml
var embeddedForms []byte

// DefaultForms are the embedded form layouts; callers do not change them.
var DefaultForms = sync.OnceValue(func() Forms {
	f, err := ParseForms("forms/forms.yaml", embeddedForms, nil)
	if err != nil {
		panic(err) // the tests read the embedded forms
	}
	return f
})

// LoadForms reads a province's form layouts from a file: each form it gives
// replaces the embedded one, the others stay.
func LoadForms(path string) (Forms, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("forms: %w", err)
	}
	return ParseForms(path, b, DefaultForms())
}

// ParseForms reads form layouts from data, name naming it in errors, over
// base (nil: every form must be given). Every fault is reported, each with
// the file, line and form.
func ParseForms(name string, data []byte, base Forms) (Forms, error) {
	var errs []error
	fail := func(line int, key, format string, a ...any) {
		where := name
		if line > 0 {
			where += fmt.Sprintf(":%d", line)
		}
		if key != "" {
			where += ": form " + key
		}
		errs = append(errs, fmt.Errorf("forms %s: %s", where, fmt.Sprintf(format, a...)))
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("forms %s: %w", name, err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("forms %s:1: want a mapping with forms", name)
	}
	out := Forms{}
	for k, v := range base {
		out[k] = v
	}
	top := doc.Content[0]
	var forms *yaml.Node
	for i := 0; i+1 < len(top.Content); i += 2 {
		if k := top.Content[i]; k.Value == "forms" {
			forms = resolve(top.Content[i+1])
		} else {
			fail(k.Line, "", "unknown field %q: want forms", k.Value)
		}
	}
	if forms == nil || forms.Kind != yaml.MappingNode {
		fail(top.Line, "", "forms: want a mapping of forms by key (%s)", strings.Join(formKeys(), ", "))
		return nil, errors.Join(errs...)
	}
	for i := 0; i+1 < len(forms.Content); i += 2 {
		key, v := forms.Content[i].Value, resolve(forms.Content[i+1])
		if _, ok := formColumns[key]; !ok {
			fail(forms.Content[i].Line, "", "unknown form %q: want %s", key, strings.Join(formKeys(), ", "))
			continue
		}
		if l, ok := parseForm(key, v, fail); ok {
			out[key] = l
		}
	}
	sheets := map[string]string{}
	for _, k := range formKeys() {
		l, ok := out[k]
		if !ok && len(errs) == 0 {
			fail(top.Line, k, "missing")
		}
		if other, dup := sheets[l.Sheet]; ok && dup {
			fail(top.Line, k, "sheet %q: form %s's sheet too; a sheet holds one form", l.Sheet, other)
		}
		sheets[l.Sheet] = k
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

func formKeys() []string { return slices.Sorted(maps.Keys(formColumns)) }

// resolve follows a YAML alias (*name) to its anchored node.
func resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

func parseForm(key string, n *yaml.Node, fail func(int, string, string, ...any)) (FormLayout, bool) {
	l := FormLayout{Key: key}
	ok := true
	bad := func(line int, format string, a ...any) { fail(line, key, format, a...); ok = false }
	if n.Kind != yaml.MappingNode {
		bad(n.Line, "want a mapping with code, issued, title, unit, sheet, groups and columns")
		return l, false
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		field, v := n.Content[i].Value, resolve(n.Content[i+1])
		seen[field] = true
		texts := map[string]*string{"code": &l.Code, "issued": &l.Issued, "title": &l.Title, "unit": &l.Unit, "sheet": &l.Sheet}
		switch {
		case texts[field] != nil:
			s, isText := scalarString(v)
			switch {
			case !isText:
				bad(v.Line, "%s: want text", field)
			case strings.ContainsAny(s, "\n\r"):
				bad(v.Line, "%s: one line", field)
			case field == "sheet" && (utf8.RuneCountInString(s) > 31 || strings.ContainsAny(s, `:\/?*[]`)):
				bad(v.Line, "sheet %q: at most 31 characters, none of : \\ / ? * [ ]", s)
			}
			*texts[field] = s
		case field == "groups":
			if err := v.Decode(&l.Groups); err != nil {
				bad(v.Line, "groups: want a mapping of province, district and commune to their names")
				continue
			}
			for g := range l.Groups {
				if levelOrder(g) == "9" {
					bad(v.Line, "groups: unknown level group %q; want province, district and commune", g)
				}
			}
		case field == "columns":
			l.Columns = parseColumns(v, bad)
		default:
			bad(n.Content[i].Line, "unknown field %q: want code, issued, title, unit, sheet, groups or columns", field)
		}
	}
	for _, f := range []string{"code", "title", "sheet", "columns"} {
		if !seen[f] {
			bad(n.Line, "%s: missing", f)
		}
	}
	for _, f := range []struct{ name, v string }{{"code", l.Code}, {"title", l.Title}, {"sheet", l.Sheet}} {
		if seen[f.name] && strings.TrimSpace(f.v) == "" {
			bad(n.Line, "%s: empty", f.name)
		}
	}
	if key != FormProcedures {
		for _, g := range LevelGroups {
			if strings.TrimSpace(l.Groups[g.Key]) == "" {
				bad(n.Line, "groups: %s: missing; the form's rows are grouped by province, district and commune", g.Key)
			}
		}
	} else if l.Groups != nil {
		bad(n.Line, "groups: this form's rows are not grouped by level")
	}
	if want := formColumns[key]; seen["columns"] && len(l.Columns) != want {
		bad(n.Line, "columns: %d columns; this form has %d", len(l.Columns), want)
	}
	return l, ok
}

func parseColumns(v *yaml.Node, bad func(int, string, ...any)) []FormColumn {
	if v.Kind != yaml.SequenceNode {
		bad(v.Line, "columns: want a list of headings and groups {group: …, columns: [...]}")
		return nil
	}
	var out []FormColumn
	heading := func(n *yaml.Node, what string) (string, bool) {
		s, isText := scalarString(n)
		if !isText || strings.TrimSpace(s) == "" {
			bad(n.Line, "%s: want a heading", what)
			return "", false
		}
		return s, true
	}
	for i, c := range v.Content {
		c = resolve(c)
		if c.Kind == yaml.ScalarNode {
			if h, ok := heading(c, fmt.Sprintf("column %d", len(out)+1)); ok {
				out = append(out, FormColumn{Heading: h})
			}
			continue
		}
		var group string
		var under *yaml.Node
		if c.Kind == yaml.MappingNode {
			for j := 0; j+1 < len(c.Content); j += 2 {
				switch c.Content[j].Value {
				case "group":
					group, _ = heading(c.Content[j+1], fmt.Sprintf("columns item %d: group", i+1))
				case "columns":
					under = resolve(c.Content[j+1])
				default:
					bad(c.Content[j].Line, "columns item %d: unknown field %q: want group and columns", i+1, c.Content[j].Value)
				}
			}
		}
		if group == "" || under == nil || under.Kind != yaml.SequenceNode || len(under.Content) == 0 {
			bad(c.Line, "columns item %d: want a heading, or a group with its columns {group: …, columns: [...]}", i+1)
			continue
		}
		for _, h := range under.Content {
			if s, ok := heading(resolve(h), fmt.Sprintf("column %d", len(out)+1)); ok {
				out = append(out, FormColumn{Group: group, Heading: s})
			}
		}
	}
	return out
}

// header is the form's heading rows: the groups over their columns (a
// column outside a group spans both rows), the headings, and the column
// numbers (1)…(n).
func (l FormLayout) header() [][]Cell {
	top, mid, nums := []Cell{}, []Cell{}, []Cell{}
	for i := 0; i < len(l.Columns); {
		c := l.Columns[i]
		if c.Group == "" {
			top = append(top, Cell{Text: c.Heading, Bold: true, RowSpan: 2})
			mid = append(mid, Cell{Bold: true, Covered: true})
			i++
		} else {
			n := 1
			for i+n < len(l.Columns) && l.Columns[i+n].Group == c.Group {
				n++
			}
			top = append(top, span(c.Group, n))
			for _, u := range l.Columns[i : i+n] {
				mid = append(mid, bold(u.Heading))
			}
			i += n
		}
	}
	for i := range l.Columns {
		nums = append(nums, Cell{Text: fmt.Sprintf("(%d)", i+1), Bold: true})
	}
	return [][]Cell{top, mid, nums}
}

// head is the lines above the form for the report of d.
func (l FormLayout) head(d *Data) *FormHead {
	return &FormHead{
		Key: l.Key, Code: l.Code, Issued: l.Issued, Title: l.Title, Unit: l.Unit,
		Lines: []string{
			"Đơn vị báo cáo: Ủy ban nhân dân " + d.Province,
			"Đơn vị nhận báo cáo: " + cmpOr(d.recipient, procedureControlRecipient),
			fmt.Sprintf("Kỳ báo cáo: %s (%s)", d.Period.Label(), capitalise(periodDates(d.Period))),
		},
	}
}

// procedureControlRecipient receives the KSTTHC reports (Thông tư 01/2020).
const procedureControlRecipient = "Văn phòng Chính phủ"

// periodDates are the period's days as the report's text writes them:
// "từ ngày 15/3/2024 đến ngày 14/6/2024" ({dates}).
func periodDates(p Period) string {
	return fmt.Sprintf("từ ngày %s đến ngày %s", ShortDate(p.Start()), ShortDate(p.End()))
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// forms are the form layouts the report of d is written with.
func (d *Data) formLayouts() Forms {
	if d.forms != nil {
		return d.forms
	}
	return DefaultForms()
}

// dossierForm is Biểu 06 (all desks) or II.06a (the centre's desk) from
// rows by agency and field: the level groups I., II., III. with their
// subtotals, each agency of a group with its total and its fields under
// it, and the grand total.
func dossierForm(d *Data, key string, rows []FormRow) *Table {
	l := d.formLayouts()[key]
	byAgency := map[string][]FormRow{}
	var agencies []FormRow // one row per agency, its total
	for _, r := range rows {
		if byAgency[r.Agency] == nil {
			agencies = append(agencies, FormRow{Agency: r.Agency, AgencyName: r.AgencyName, LevelGroup: r.LevelGroup})
		}
		byAgency[r.Agency] = append(byAgency[r.Agency], r)
	}
	for i := range agencies {
		for _, r := range byAgency[agencies[i].Agency] {
			agencies[i].Add(r.Form)
		}
	}
	sortByLevel(agencies)
	var out [][]Cell
	var total Form
	for gi, g := range LevelGroups {
		var sub Form
		var group [][]Cell
		n := 0
		for _, a := range agencies {
			if a.LevelGroup != g.Key {
				continue
			}
			n++
			sub.Add(a.Form)
			group = append(group, boldRow(formCells(fmt.Sprint(n), cmpOr(a.AgencyName, a.Agency), a.Form)))
			fields := byAgency[a.Agency]
			slices.SortFunc(fields, func(x, y FormRow) int { return strings.Compare(x.Field, y.Field) })
			for j, f := range fields {
				group = append(group, formCells(fmt.Sprintf("%d.%d", n, j+1), fieldName(f.Field), f.Form))
			}
		}
		total.Add(sub)
		out = append(out, boldRow(formCells(roman(gi+1), l.Groups[g.Key], sub)))
		out = append(out, group...)
	}
	out = append(out, boldRow(formCells("", "Tổng cộng", total)))
	// the caption is the title the form prints (Document.Text reads it)
	return &Table{Name: l.Sheet, Caption: strings.ToUpper(l.Title), Form: l.head(d), Header: l.header(), Rows: out}
}

func fieldName(f string) string {
	if f == "" {
		return "(chưa xác định lĩnh vực)"
	}
	return f
}

func formCells(n, name string, f Form) []Cell {
	row := []Cell{text(n), text(name)}
	for _, v := range f.Columns() {
		row = append(row, num(v))
	}
	return row
}

func boldRow(row []Cell) []Cell {
	for i := range row {
		row[i].Bold = true
	}
	return row
}

// dossierFormBlocks is Biểu 06: every dossier, at whichever desk received.
func dossierFormBlocks(d *Data) []Block {
	return []Block{dossierForm(d, FormDossiers, d.AgencyFields)}
}

// centreFormBlocks is II.06a: the dossiers received at the province's public
// administration service centre.
func centreFormBlocks(d *Data) []Block {
	var total Form
	for _, r := range d.CentreFields {
		total.Add(r.Form)
	}
	t := dossierForm(d, FormCentre, d.CentreFields)
	if total.ReceivedTotal == 0 {
		return []Block{Paragraph("Trong kỳ, Trung tâm Phục vụ hành chính công không tiếp nhận hồ sơ TTHC nào."), t}
	}
	return []Block{fmtf("Trung tâm Phục vụ hành chính công tiếp nhận giải quyết %s hồ sơ (trực tuyến: %s; trực tiếp và qua dịch vụ bưu chính công ích: %s; kỳ trước chuyển qua: %s); đã giải quyết %s hồ sơ, trong đó quá hạn %s hồ sơ; đang giải quyết %s hồ sơ.",
		d.plain("centre.received_total", total.ReceivedTotal), d.plain("centre.received_online", total.ReceivedOnline),
		d.plain("centre.received_offline", total.ReceivedOffline), d.plain("centre.carried_over", total.CarriedOver),
		d.plain("centre.resolved_total", total.ResolvedTotal), d.plain("centre.resolved_late", total.ResolvedLate),
		d.plain("centre.in_progress_total", total.InProgressTotal)), t}
}

// procedureFormBlocks is II.07b: the procedures under local authority by
// level, those handled under the one-stop mechanism at each level's desk,
// and those with an internal process issued. A procedure handled at two
// levels counts at each, and once in the total (procedure_counts' total
// row), which is the catalogue sentence's number in force.
func procedureFormBlocks(d *Data) []Block {
	l := d.formLayouts()[FormProcedures]
	row := []Cell{text("Ủy ban nhân dân " + d.Province)}
	for _, col := range []func(ProcedureCount) int64{
		func(c ProcedureCount) int64 { return c.Procedures },
		func(c ProcedureCount) int64 { return c.OneStop },
		func(c ProcedureCount) int64 { return c.InternalProcesses },
	} {
		row = append(row, num(col(d.Procedures["total"])))
		for _, g := range LevelGroups {
			row = append(row, num(col(d.Procedures[g.Key])))
		}
	}
	return []Block{&Table{Name: l.Sheet, Caption: strings.ToUpper(l.Title), Form: l.head(d), Header: l.header(), Rows: [][]Cell{row}}}
}

// lateCauseBlocks states the causes of late dossiers the agencies gave
// when apologising, and lists them by agency and cause.
func lateCauseBlocks(d *Data) []Block {
	late := d.Total.ResolvedLate
	if len(d.LateCauses) == 0 {
		if late == 0 && d.Total.InProgressOverdue == 0 {
			return []Block{Paragraph("Trong kỳ không có hồ sơ giải quyết quá hạn.")}
		}
		return []Block{fmtf("Trong kỳ có %s hồ sơ giải quyết quá hạn và %s hồ sơ đang giải quyết quá hạn; chưa có văn bản xin lỗi người dân, tổ chức được ghi nhận trên hệ thống.",
			d.plain("dossiers.resolved_late", late), d.plain("dossiers.in_progress_overdue", d.Total.InProgressOverdue))}
	}
	t := &Table{Name: "Nguyên nhân quá hạn", Caption: "Nguyên nhân hồ sơ giải quyết quá hạn và việc xin lỗi người dân, tổ chức",
		Header: [][]Cell{{bold("STT"), bold("Cơ quan, đơn vị"), bold("Nguyên nhân quá hạn"), bold("Số hồ sơ đã xin lỗi")}}}
	byReason := map[string]int64{}
	var apologies int64
	for i, c := range d.LateCauses {
		t.Rows = append(t.Rows, []Cell{text(fmt.Sprint(i + 1)), text(cmpOr(c.AgencyName, c.Agency)), text(reasonText(c.Reason)), num(c.Apologies)})
		byReason[reasonText(c.Reason)] += c.Apologies
		apologies += c.Apologies
	}
	t.Rows = append(t.Rows, boldRow([]Cell{text(""), text("Tổng cộng"), text(""), num(apologies)}))
	reasons := slices.SortedFunc(maps.Keys(byReason), func(a, b string) int {
		return cmp.Or(cmp.Compare(byReason[b], byReason[a]), strings.Compare(a, b))
	})
	var top []string
	for _, r := range reasons[:min(3, len(reasons))] {
		top = append(top, fmt.Sprintf("%s (%s hồ sơ)", LowerFirst(r), d.plain("late.cause."+r, byReason[r])))
	}
	return []Block{fmtf("Trong kỳ có %s hồ sơ giải quyết quá hạn; các cơ quan, đơn vị đã thực hiện xin lỗi người dân, tổ chức đối với %s hồ sơ. Nguyên nhân chủ yếu: %s.",
		d.plain("dossiers.resolved_late", late), d.plain("late.apologies", apologies), sentenceList(top)), t}
}

func reasonText(r string) string {
	if strings.TrimSpace(r) == "" {
		return "Không nêu nguyên nhân"
	}
	return r
}

// The report's own tables for the workbook's sheets beside the forms: the
// citizens' feedback, the catalogue of procedures and the plans' tasks, the
// figures the sections' sentences state, one sheet each.

func grouped(cols ...FormColumn) [][]Cell { return FormLayout{Columns: cols}.header() }

func under(group string, headings ...string) []FormColumn {
	out := make([]FormColumn, len(headings))
	for i, h := range headings {
		out[i] = FormColumn{Group: group, Heading: h}
	}
	return out
}

func columns(parts ...[]FormColumn) []FormColumn { return slices.Concat(parts...) }

func alone(headings ...string) []FormColumn { return under("", headings...) }

// feedbackTableBlocks is the feedback on regulations (PAKN) of the period.
func feedbackTableBlocks(d *Data) []Block {
	f := d.Feedback
	return []Block{&Table{Name: "Phản ánh, kiến nghị", Caption: "Tình hình, kết quả tiếp nhận, xử lý phản ánh, kiến nghị về quy định hành chính",
		Header: grouped(columns(alone("Đơn vị", "Tiếp nhận mới", "Kỳ trước chuyển sang", "Đã hoàn thành"),
			under("Đang xử lý", "Tổng số", "Trong hạn", "Quá hạn"), alone("Đã công khai"))...),
		Rows: [][]Cell{{text("Ủy ban nhân dân " + d.Province), num(f.New), num(f.CarriedOver), num(f.Completed),
			num(f.InProgress), num(f.WithinDue), num(f.Overdue), num(f.Published)}}}}
}

// catalogueTableBlocks is the catalogue's figures: decisions, procedures
// published, in force, online, reviewed.
func catalogueTableBlocks(d *Data) []Block {
	c := d.Catalogue
	return []Block{&Table{Name: "Danh mục TTHC", Caption: "Công bố, công khai, rà soát thủ tục hành chính",
		Header: grouped(columns(alone("Đơn vị", "Quyết định công bố", "TTHC công bố mới", "TTHC đang có hiệu lực"),
			under("Dịch vụ công trực tuyến", "Toàn trình", "Một phần"),
			under("Rà soát, đơn giản hóa", "Kế hoạch rà soát", "Đã rà soát", "Ủy quyền, phân cấp"))...),
		Rows: [][]Cell{{text("Ủy ban nhân dân " + d.Province), num(c.Decisions), num(c.Published), num(c.InForce),
			num(c.FullOnline), num(c.PartialOnline), num(c.ReviewPlanned), num(c.Reviewed), num(c.Delegated)}}}}
}

// taskTableBlocks is the plans' tasks at the period's end, one row a plan.
func taskTableBlocks(d *Data) []Block {
	t := &Table{Name: "Nhiệm vụ", Caption: "Tình hình thực hiện nhiệm vụ theo kế hoạch",
		Header: grouped(columns(alone("STT", "Kế hoạch", "Nhiệm vụ được giao"),
			under("Đã hoàn thành", "Tổng số", "Đúng hạn", "Quá hạn"),
			under("Đang thực hiện", "Tổng số", "Trong hạn", "Quá hạn"), alone("Nhiệm vụ thường xuyên"))...)}
	for i, p := range d.Tasks {
		name := "Kế hoạch số " + p.PlanNumber
		switch {
		case p.PlanKind == "government_assigned":
			name = cmpOr(p.PlanTitle, "Nhiệm vụ được Chính phủ, Thủ tướng Chính phủ giao")
		case p.PlanTitle != "":
			name += " (" + p.PlanTitle + ")"
		}
		t.Rows = append(t.Rows, []Cell{text(fmt.Sprint(i + 1)), text(name), num(p.Assigned), num(p.Completed), num(p.OnTime), num(p.Late),
			num(p.InProgress), num(p.WithinDeadline), num(p.Overdue), num(p.Recurring)})
	}
	if len(t.Rows) == 0 {
		return nil
	}
	return []Block{t}
}
