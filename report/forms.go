package report

import (
	"fmt"
	"strings"
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
