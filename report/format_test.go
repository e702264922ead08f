package report

import (
	"math"
	"testing"

	"github.com/baocao/baocao/events"
)

func TestVietnameseFormatting(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{Int(0), "0"}, {Int(999), "999"}, {Int(1317), "1.317"}, {Int(1234567), "1.234.567"}, {Int(-4048), "-4.048"},
		{Count(0), "0"}, {Count(8), "08"}, {Count(57), "57"}, {Count(1150), "1.150"},
		{Decimal(91.87, 2), "91,87"}, {Decimal(88.9, 2), "88,90"}, {Decimal(4048.546, 3), "4.048,546"}, {Decimal(-1.78, 2), "-1,78"},
		{Decimal(-0.001, 2), "0,00"},
		{Percent(25.58), "25,6%"}, {Percent(100), "100,0%"}, {PercentOf(11, 43), "25,6%"}, {PercentOf(1, 0), "—"},
		{Date(events.NewDate(2024, 1, 30)), "30/01/2024"}, {ShortDate(events.NewDate(2024, 6, 14)), "14/6/2024"},
		{change(91.87, 90.09, 2, " điểm"), "tăng 1,78 điểm"}, {change(83.88, 88.90, 2, "%"), "giảm 5,02%"}, {change(1, 1, 2, ""), "không thay đổi"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	if !math.IsNaN(Ratio(1, 0)) {
		t.Error("Ratio(1, 0) should be NaN")
	}
}

func TestFormIdentities(t *testing.T) {
	good := Form{ReceivedTotal: 10, ReceivedOnline: 4, ReceivedOffline: 5, CarriedOver: 1, ResolvedTotal: 7, ResolvedEarly: 3,
		ResolvedOnTime: 3, ResolvedLate: 1, InProgressTotal: 3, InProgressWithinDue: 2, InProgressOverdue: 1}
	if bad := good.Identities(); len(bad) != 0 {
		t.Errorf("a consistent form breaks %v", bad)
	}
	broken := good
	broken.ResolvedLate++
	if bad := broken.Identities(); len(bad) != 1 { // (7) = (8)+(9)+(10)
		t.Errorf("one late dossier too many breaks %v; want one identity", bad)
	}
}
