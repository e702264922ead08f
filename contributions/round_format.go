package contributions

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/baocao/baocao/events"
)

// StateLabel is a part's state in Vietnamese, for pages and the text
// output: "đã gửi 17/06 10:00", "chưa gửi", "gửi muộn 20/06 08:00", "quá
// hạn, chưa gửi"; "" for a part the agency does not owe.
func (p Part) StateLabel() string {
	switch p.State {
	case Submitted:
		return "đã gửi " + stamp(p.SubmittedAt)
	case Missing:
		return "chưa gửi"
	case Late:
		if p.SubmittedAt.IsZero() {
			return "quá hạn, chưa gửi"
		}
		return "gửi muộn " + stamp(p.SubmittedAt)
	}
	return ""
}

func stamp(t time.Time) string { return t.In(events.Vietnam).Format("15:04 02/01/2006") }

// PartName is a column's name: the section key, or the report as a whole.
func PartName(section string) string {
	if section == "" {
		return "cả báo cáo"
	}
	return section
}

// DeadlineDay is the last day parts are due, 18/06/2024.
func (s *Status) DeadlineDay() string {
	return s.Deadline.Add(-time.Second).In(events.Vietnam).Format("02/01/2006")
}

// WriteText writes the summary, the agency × part table and the agencies
// whose parts are not in.
func (s *Status) WriteText(w io.Writer) error {
	onTime, late, missing := s.Counts()
	state := "đang mở"
	if !s.Open() {
		state = "đã đóng"
	}
	fmt.Fprintf(w, "Vòng thu thập %s %s (%s): hạn gửi %s, %s lúc %s\n", s.Kind, s.Period, s.Period.Label(), s.DeadlineDay(), state, stamp(s.At))
	fmt.Fprintf(w, "  %d đơn vị được đề nghị: %d đã gửi đúng hạn, %d gửi muộn, %d chưa gửi đủ\n\n", len(s.Agencies), onTime, late, missing)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	header := []string{"Mã", "Đơn vị"}
	for _, p := range s.Parts {
		header = append(header, PartName(p))
	}
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for _, a := range s.Agencies {
		row := []string{a.Code, a.Name}
		for _, p := range a.Parts {
			row = append(row, orDash(p.StateLabel()))
		}
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if out := s.Outstanding(); len(out) > 0 {
		fmt.Fprintf(w, "\nChưa gửi (%d):\n", len(out))
		for _, a := range out {
			var parts []string
			for i, p := range a.Parts {
				if p.State != "" && p.SubmittedAt.IsZero() {
					parts = append(parts, PartName(s.Parts[i]))
				}
			}
			fmt.Fprintf(w, "  %s  %s  (%s)\n", a.Code, orDash(a.Name), strings.Join(parts, ", "))
		}
	}
	if len(s.Others) > 0 {
		fmt.Fprintf(w, "\nĐơn vị khác đã gửi (không thuộc danh sách đề nghị):\n")
		for _, a := range s.Others {
			fmt.Fprintf(w, "  %s  %s  (%s)\n", a.Code, orDash(a.Name), strings.Join(a.Parts[0].Sections, ", "))
		}
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// jsonPart and jsonAgency are the JSON output's rows.
type jsonPart struct {
	Section     string     `json:"section"`
	State       State      `json:"state"`
	SubmittedAt *time.Time `json:"submitted_at,omitempty"`
	Sections    []string   `json:"sections"`
}

type jsonAgency struct {
	Agency string     `json:"agency"`
	Name   string     `json:"name"`
	Level  string     `json:"level"`
	State  State      `json:"state,omitempty"`
	In     bool       `json:"in"`
	Parts  []jsonPart `json:"parts"`
}

func toJSON(as []Agency, asked bool) []jsonAgency {
	out := []jsonAgency{}
	for _, a := range as {
		j := jsonAgency{Agency: a.Code, Name: a.Name, Level: a.Level, In: a.In(), Parts: []jsonPart{}}
		if asked {
			j.State = a.State()
		}
		for _, p := range a.Parts {
			if asked && p.State == "" || !asked && len(p.Sections) == 0 {
				continue
			}
			jp := jsonPart{Section: p.Section, State: p.State, Sections: p.Sections}
			if jp.Sections == nil {
				jp.Sections = []string{}
			}
			if !p.SubmittedAt.IsZero() {
				t := p.SubmittedAt
				jp.SubmittedAt = &t
			}
			j.Parts = append(j.Parts, jp)
		}
		out = append(out, j)
	}
	return out
}

// WriteJSON writes the status as one JSON object.
func (s *Status) WriteJSON(w io.Writer) error {
	onTime, late, missing := s.Counts()
	var outstanding []string
	for _, a := range s.Outstanding() {
		outstanding = append(outstanding, a.Code)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(map[string]any{
		"report": s.Kind, "period": s.Period.String(), "cutoff": s.Period.Cutoff, "label": s.Period.Label(),
		"deadline": s.Deadline, "at": s.At, "open": s.Open(),
		"counts":      map[string]int{"asked": len(s.Agencies), "on_time": onTime, "late": late, "missing": missing},
		"outstanding": append([]string{}, outstanding...),
		"agencies":    toJSON(s.Agencies, true), "others": toJSON(s.Others, false),
	})
}

// WriteCSV writes one row per asked agency and part it owes.
func (s *Status) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"agency", "name", "level", "part", "state", "submitted_at", "sections"})
	for _, a := range s.Agencies {
		for _, p := range a.Parts {
			if p.State == "" {
				continue
			}
			at := ""
			if !p.SubmittedAt.IsZero() {
				at = p.SubmittedAt.Format(time.RFC3339)
			}
			cw.Write([]string{a.Code, a.Name, a.Level, p.Section, string(p.State), at, strings.Join(p.Sections, " ")})
		}
	}
	cw.Flush()
	return cw.Error()
}
