package report_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/baocao/baocao/report"
)

// randomForm is one row of the dossier form whose columns follow the
// identities, as the views give them.
func randomForm(r *rand.Rand) report.Form {
	f := report.Form{ReceivedOnline: r.Int64N(300), ReceivedOffline: r.Int64N(300), CarriedOver: r.Int64N(40)}
	f.ReceivedTotal = f.ReceivedOnline + f.ReceivedOffline + f.CarriedOver
	f.ResolvedTotal = r.Int64N(f.ReceivedTotal + 1)
	f.ResolvedLate = r.Int64N(f.ResolvedTotal/10 + 1)
	f.ResolvedEarly = r.Int64N(f.ResolvedTotal - f.ResolvedLate + 1)
	f.ResolvedOnTime = f.ResolvedTotal - f.ResolvedLate - f.ResolvedEarly
	f.InProgressTotal = f.ReceivedTotal - f.ResolvedTotal
	f.InProgressOverdue = r.Int64N(f.InProgressTotal/8 + 1)
	f.InProgressWithinDue = f.InProgressTotal - f.InProgressOverdue
	return f
}

// simulatedForms is a quarter's figures of a province of random agencies
// at every level, each with dossiers in random fields at either desk, the
// procedures by level and apologies with their causes: what Load gives.
func simulatedForms(t *testing.T, seed uint64) *report.Data {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 15))
	p, _ := report.ParsePeriod("2024-Q2", report.Official)
	d := &report.Data{Period: p, Prev: p.YearBefore(), Province: "thành phố Hải Phòng", ByLevel: map[string]report.Form{},
		Procedures: map[string]report.ProcedureCount{}}
	fields := []string{"Hộ tịch", "Đất đai", "Xây dựng", "Chứng thực", "Lao động", "Giao thông vận tải", ""}
	for i, g := range []string{"province", "district", "commune"} {
		for a := 0; a < 2+r.IntN(4); a++ {
			code := fmt.Sprintf("000.%02d.%02d.H23", i, a)
			name := fmt.Sprintf("Cơ quan %d.%d", i, a)
			var total report.Form
			for _, field := range fields[:2+r.IntN(len(fields)-2)] {
				f := randomForm(r)
				row := report.FormRow{Agency: code, AgencyName: name, Field: field, LevelGroup: g, Form: f}
				d.AgencyFields = append(d.AgencyFields, row)
				if g != "commune" && r.IntN(2) == 0 {
					c := randomForm(r)
					row.Form = c
					d.CentreFields = append(d.CentreFields, row)
				}
				total.Add(f)
			}
			d.Agencies = append(d.Agencies, report.FormRow{Agency: code, AgencyName: name, LevelGroup: g, Form: total})
			lg := d.ByLevel[g]
			lg.Add(total)
			d.ByLevel[g] = lg
			d.Total.Add(total)
			if r.IntN(2) == 0 {
				d.LateCauses = append(d.LateCauses, report.LateCause{Agency: code, AgencyName: name, LevelGroup: g,
					Reason: []string{"Hồ sơ phải xác minh thực địa", "Lấy ý kiến cơ quan liên quan chậm", ""}[r.IntN(3)], Apologies: 1 + r.Int64N(9)})
			}
		}
		d.Tasks = append(d.Tasks, report.Tasks{Plan: fmt.Sprint(i), PlanNumber: fmt.Sprintf("%d/KH-UBND", 100+i), PlanKind: "procedure_control",
			Assigned: 20, Completed: 12, OnTime: 10, Late: 2, InProgress: 8, WithinDeadline: 7, Overdue: 1})
		n := 100 + r.Int64N(900)
		d.Procedures[g] = report.ProcedureCount{Procedures: n, OneStop: n - r.Int64N(50), InternalProcesses: n - r.Int64N(100)}
	}
	// each procedure once: fewer than the levels' sum, some being carried
	// out at two levels
	var total report.ProcedureCount
	for _, c := range d.Procedures {
		total.Procedures += c.Procedures - 20
		total.OneStop += c.OneStop - 15
		total.InternalProcesses += c.InternalProcesses - 10
	}
	d.Procedures["total"] = total
	return d
}

// formSheets are the official forms' sheets of the KSTTHC workbook, with
// the lines above each table.
var formSheets = []struct {
	sheet, code, title string
	groups             bool
}{
	{"Biểu 06", "Biểu số 06/VPCP/KSTT", "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC", true},
	{"Biểu II.06a", "Biểu số II.06a/VPCP/KSTT", "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG", true},
	{"Biểu II.07b", "Biểu số II.07b/VPCP/KSTT", "TỔNG HỢP SỐ LƯỢNG TTHC", false},
}

// The KSTTHC workbook is ready to submit: a sheet per official form with
// its code, the circular's line, the reporting and receiving units, the
// period (dates as the text writes them) and the unit line; the header's
// merged cells as on paper and the column numbers (1)…(13); A4 landscape,
// the header rows printed on every page and frozen on screen; the counts
// stored as numbers; and on every row of Biểu 06 and II.06a, subtotals and
// totals included, 3 = 4+5+6 = 7+11, 7 = 8+9+10 and 11 = 12+13, with the
// subtotals the sums of their agencies and the agencies of their fields.
func TestFormsWorkbook(t *testing.T) {
	for seed := uint64(1); seed <= 3; seed++ {
		d := simulatedForms(t, seed)
		var buf bytes.Buffer
		if err := report.XLSX(&buf, report.Build(report.ProcedureControl, d)); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		sheets := f.GetSheetList()
		if len(sheets) < 3 || sheets[0] != "Biểu 06" || sheets[1] != "Biểu II.06a" || sheets[2] != "Biểu II.07b" {
			t.Errorf("the workbook's sheets are %q; want the forms first, Biểu 06, II.06a, II.07b", sheets)
		}
		for _, want := range formSheets {
			if !slices.Contains(sheets, want.sheet) {
				t.Fatalf("the workbook has sheets %q; want %s", sheets, want.sheet)
			}
			assertFormSheet(t, f, d, want.sheet, want.code, want.title, want.groups)
		}
		for _, want := range []string{"Nguyên nhân quá hạn", "Chỉ tiêu", "Phản ánh, kiến nghị", "Danh mục TTHC", "Nhiệm vụ"} {
			if !slices.Contains(sheets, want) {
				t.Errorf("the workbook has sheets %q; want %s", sheets, want)
			}
		}
		// every sheet prints on A4 landscape with its header on every page
		names := map[string]string{}
		for _, dn := range f.GetDefinedName() {
			if dn.Name == "_xlnm.Print_Titles" {
				names[dn.Scope] = dn.RefersTo
			}
		}
		for _, s := range sheets {
			pl, err := f.GetPageLayout(s)
			if err != nil {
				t.Fatal(err)
			}
			if pl.Size == nil || *pl.Size != 9 || pl.Orientation == nil || *pl.Orientation != "landscape" {
				t.Errorf("%s: page size %v, orientation %v; want 9 (A4) and landscape", s, deref(pl.Size), deref(pl.Orientation))
			}
			if names[s] == "" {
				t.Errorf("%s has no print titles (defined names %v)", s, f.GetDefinedName())
			}
			panes, err := f.GetPanes(s)
			if err != nil || !panes.Freeze || panes.YSplit == 0 || panes.XSplit != 2 {
				t.Errorf("%s: panes %+v (%v); want frozen below the header and right of column B", s, panes, err)
			}
		}
		if props, err := f.GetDocProps(); err != nil || props.Language != "vi-VN" {
			t.Errorf("the workbook's language is %q (%v); want vi-VN", props.Language, err)
		}
		// points are numbers shown with their maximum
		rows, _ := f.GetRows("Chỉ tiêu", excelize.Options{RawCellValue: true})
		for _, r := range rows {
			if len(r) > 6 && strings.Contains(r[6], "/") {
				t.Errorf("Chỉ tiêu: points stored as text %q", r[6])
			}
		}
		f.Close()
	}
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

func assertFormSheet(t *testing.T, f *excelize.File, d *report.Data, sheet, code, title string, groups bool) {
	t.Helper()
	get := func(c string) string { v, _ := f.GetCellValue(sheet, c); return v }
	lines := []string{code, "Ban hành theo Thông tư số 01/2020/TT-VPCP ngày 21/10/2020", title,
		"Đơn vị báo cáo: Ủy ban nhân dân thành phố Hải Phòng", "Đơn vị nhận báo cáo: Văn phòng Chính phủ",
		"Kỳ báo cáo: Quý II/2024 (Từ ngày 15/3/2024 đến ngày 14/6/2024)"}
	for i, want := range lines {
		if got := get(fmt.Sprintf("A%d", i+1)); got != want {
			t.Errorf("%s: A%d is %q; want %q", sheet, i+1, got, want)
		}
	}
	if unit := get("A7"); !strings.HasPrefix(unit, "Đơn vị tính: Số") {
		t.Errorf("%s: A7 is %q; want the unit line", sheet, unit)
	}
	// the header: rows 9–11, the column numbers on the third
	for i := 1; i <= 13; i++ {
		c, _ := excelize.CoordinatesToCellName(i, 11)
		if got := get(c); got != fmt.Sprintf("(%d)", i) {
			t.Errorf("%s: %s is %q; want (%d)", sheet, c, got, i)
		}
	}
	merged, err := f.GetMergeCells(sheet)
	if err != nil {
		t.Fatal(err)
	}
	var ranges []string
	for _, m := range merged {
		ranges = append(ranges, m.GetStartAxis()+":"+m.GetEndAxis()+"="+m.GetCellValue())
	}
	want := []string{"C9:F9=Số hồ sơ nhận giải quyết", "G9:J9=Số hồ sơ đã giải quyết", "K9:M9=Số lượng hồ sơ đang giải quyết",
		"A9:A10=STT", "B9:B10=Lĩnh vực, công việc giải quyết theo cấp"}
	if !groups {
		want = []string{"A9:A10=Đơn vị", "B9:E9=Tổng số TTHC thuộc thẩm quyền giải quyết của địa phương",
			"F9:I9=TTHC được thực hiện theo cơ chế một cửa, một cửa liên thông",
			"J9:M9=Quy trình nội bộ giải quyết TTHC theo cơ chế một cửa, một cửa liên thông được ban hành"}
	}
	for _, w := range want {
		if !slices.Contains(ranges, w) {
			t.Errorf("%s: merged cells %q; want %s", sheet, ranges, w)
		}
	}
	if dn := printTitles(f, sheet); dn != fmt.Sprintf("'%s'!$9:$11", sheet) {
		t.Errorf("%s: print titles %q; want rows 9 to 11", sheet, dn)
	}
	if p, _ := f.GetPanes(sheet); p.YSplit != 11 || p.TopLeftCell != "C12" {
		t.Errorf("%s: panes %+v; want frozen at C12", sheet, p)
	}

	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	body := rows[11:]
	for i, r := range body {
		for col := 2; col < len(r); col++ {
			c, _ := excelize.CoordinatesToCellName(col+1, 12+i)
			if typ, _ := f.GetCellType(sheet, c); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
				t.Fatalf("%s: %s (%q) is stored as %v; want a number", sheet, c, r[col], typ)
			}
		}
	}
	if !groups {
		r := numbers(t, body[0][1:])
		for i, g := range []string{"province", "district", "commune"} {
			c := d.Procedures[g]
			if r[1+i] != c.Procedures || r[5+i] != c.OneStop || r[9+i] != c.InternalProcesses {
				t.Errorf("%s: %v; want the procedure counts %+v at %s", sheet, r, c, g)
			}
		}
		// Tổng số counts each procedure once (procedure_counts' total), not
		// the sum of the levels
		if c := d.Procedures["total"]; r[0] != c.Procedures || r[4] != c.OneStop || r[8] != c.InternalProcesses {
			t.Errorf("%s: the totals %v, %v, %v are not the procedures counted once %+v", sheet, r[0], r[4], r[8], c)
		}
		return
	}
	src := d.AgencyFields
	if sheet != "Biểu 06" {
		src = d.CentreFields
	}
	var want06 report.Form
	for _, r := range src {
		want06.Add(r.Form)
	}
	// rows: I./II./III. subtotals, agencies (1, 2…) with their fields (1.1…), the total
	var group, agency []int64
	var sumGroups, sumAgencies, sumFields []int64
	closeAgency := func(line int) {
		if agency != nil && fmt.Sprint(sumFields) != fmt.Sprint(agency) {
			t.Errorf("%s: the fields above row %d add up to %v; the agency's row has %v", sheet, line, sumFields, agency)
		}
		sumFields = nil
	}
	closeGroup := func(line int) {
		closeAgency(line)
		if group != nil && fmt.Sprint(sumAgencies) != fmt.Sprint(group) && (sumAgencies != nil || group[0] != 0) {
			t.Errorf("%s: the agencies above row %d add up to %v; the subtotal has %v", sheet, line, sumAgencies, group)
		}
		sumAgencies = nil
	}
	seenGroups := 0
	for i, r := range body {
		line := 12 + i
		if len(r) < 13 {
			t.Fatalf("%s: row %d has %d cells: %q", sheet, line, len(r), r)
		}
		n := numbers(t, r[2:13])
		f := report.Form{ReceivedTotal: n[0], ReceivedOnline: n[1], ReceivedOffline: n[2], CarriedOver: n[3], ResolvedTotal: n[4],
			ResolvedEarly: n[5], ResolvedOnTime: n[6], ResolvedLate: n[7], InProgressTotal: n[8], InProgressWithinDue: n[9], InProgressOverdue: n[10]}
		if bad := f.Identities(); len(bad) > 0 {
			t.Errorf("%s: row %d (%s %s) breaks %v", sheet, line, r[0], r[1], bad)
		}
		switch stt := r[0]; {
		case stt == "I" || stt == "II" || stt == "III":
			closeGroup(line)
			group, agency = n, nil
			sumGroups = add(sumGroups, n)
			seenGroups++
		case stt == "":
			closeGroup(line)
			if r[1] != "Tổng cộng" || i != len(body)-1 {
				t.Errorf("%s: row %d is %q; only the last row, Tổng cộng, has no number", sheet, line, r[:2])
			}
			if fmt.Sprint(n) != fmt.Sprint(sumGroups) || fmt.Sprint(n) != fmt.Sprint(want06.Columns()) {
				t.Errorf("%s: the total %v; the groups add up to %v, the data to %v", sheet, n, sumGroups, want06.Columns())
			}
		case !strings.Contains(stt, "."):
			closeAgency(line)
			agency = n
			sumAgencies = add(sumAgencies, n)
		default:
			sumFields = add(sumFields, n)
		}
	}
	if seenGroups != 3 {
		t.Errorf("%s has %d level groups; want I., II. and III.", sheet, seenGroups)
	}
}

func printTitles(f *excelize.File, sheet string) string {
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" && dn.Scope == sheet {
			return dn.RefersTo
		}
	}
	return ""
}

func numbers(t *testing.T, s []string) []int64 {
	t.Helper()
	out := make([]int64, len(s))
	for i, v := range s {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			t.Fatalf("%q is not a number (%q)", v, s)
		}
		out[i] = int64(x)
	}
	return out
}

func add(a, b []int64) []int64 {
	if a == nil {
		a = make([]int64, len(b))
	}
	for i := range b {
		a[i] += b[i]
	}
	return a
}

// procedures is a province's II.07b, with its own headings.
const procedures = `forms:
  procedures:
    code: "Biểu số II.07b/VPCP/KSTT"
    title: "Tổng hợp số lượng thủ tục hành chính"
    sheet: "II.07b"
    columns:
      - "Tên đơn vị"
      - group: "Tổng số TTHC"
        columns: ["Tổng", "Tỉnh", "Huyện", "Xã"]
      - group: "Một cửa"
        columns: ["Tổng", "Tỉnh", "Huyện", "Xã"]
      - group: "Quy trình nội bộ"
        columns: ["Tổng", "Tỉnh", "Huyện", "Xã"]
`

// The forms' layouts are data: the embedded file gives the three forms; a
// province's file replaces the forms it gives and leaves the others; a bad
// file is refused with every fault named by file, line and form.
func TestFormLayouts(t *testing.T) {
	def := report.DefaultForms()
	for key, code := range map[string]string{report.FormDossiers: "Biểu số 06/VPCP/KSTT", report.FormCentre: "Biểu số II.06a/VPCP/KSTT", report.FormProcedures: "Biểu số II.07b/VPCP/KSTT"} {
		if l := def[key]; l.Code != code || len(l.Columns) != 13 || l.Issued != "Ban hành theo Thông tư số 01/2020/TT-VPCP ngày 21/10/2020" {
			t.Errorf("the embedded form %s: %+v", key, l)
		}
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "forms.yaml")
	os.WriteFile(good, []byte(procedures), 0o644)
	forms, err := report.LoadForms(good)
	if err != nil {
		t.Fatal(err)
	}
	if forms[report.FormProcedures].Sheet != "II.07b" || forms[report.FormDossiers].Code != "Biểu số 06/VPCP/KSTT" {
		t.Errorf("the province's file gives %+v", forms)
	}
	l := report.DefaultLayout(report.ProcedureControl)
	l.Forms = forms
	var buf bytes.Buffer
	if err := report.XLSX(&buf, l.Build(simulatedForms(t, 1))); err != nil {
		t.Fatal(err)
	}
	wb, _ := excelize.OpenReader(&buf)
	cols, _ := wb.GetCols("II.07b")
	if len(cols) == 0 || !slices.Contains(cols[0], "Tên đơn vị") || !slices.Contains(cols[0], "TỔNG HỢP SỐ LƯỢNG THỦ TỤC HÀNH CHÍNH") {
		t.Errorf("the province's II.07b has first column %q", cols)
	}

	for _, c := range []struct{ file, want string }{
		{"forms:\n  dossier:\n    code: x\n", `:2: unknown form "dossier": want centre, dossiers, procedures`},
		{"forms:\n  centre:\n    code: \"Biểu số II.06a/VPCP/KSTT\"\n    title: t\n    sheet: s\n    groups: {province: a, district: b, commune: c}\n    columns: [a, b, c]\n",
			":3: form centre: columns: 3 columns; this form has 13"},
		{"forms:\n  centre:\n    title: t\n    sheet: s\n    groups: {province: a, district: b}\n    columns: [a]\n",
			"form centre: code: missing"},
		{"forms:\n  centre:\n    title: t\n    sheet: s\n    groups: {province: a, district: b}\n    columns: [a]\n",
			"form centre: groups: commune: missing"},
		{"forms:\n  procedures:\n    code: c\n    title: t\n    sheet: \"a/b\"\n    colour: red\n    columns: [a]\n",
			`:6: form procedures: unknown field "colour"`},
		{"forms:\n  procedures:\n    code: c\n    title: t\n    sheet: \"a/b\"\n    columns: [a]\n",
			`:5: form procedures: sheet "a/b"`},
		{"forms: [1, 2]\n", "forms: want a mapping of forms by key"},
		{strings.Replace(procedures, `sheet: "II.07b"`, `sheet: "Biểu 06"`, 1), `form procedures: sheet "Biểu 06": form dossiers's sheet too`},
	} {
		path := filepath.Join(dir, "bad.yaml")
		os.WriteFile(path, []byte(c.file), 0o644)
		_, err := report.LoadForms(path)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%q: %v; want an error naming the file and %q", c.file, err, c.want)
		}
	}
}
