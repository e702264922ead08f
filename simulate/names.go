package simulate

// Names of the simulated province, shaped on Hải Phòng. In the templates,
// {unit} is "thành phố" or "tỉnh" and {short} the province's name without
// it ("Hải Phòng").

// departmentSpecs are the province's departments (sở, ban, ngành) in code
// order; a key names each for the rules that refer to it (fields owned,
// task leads, the 2025 mergers).
var departmentSpecs = []struct{ key, name string }{
	{"vp", "Văn phòng Ủy ban nhân dân {unit}"},
	{"tp", "Sở Tư pháp"},
	{"kh", "Sở Kế hoạch và Đầu tư"},
	{"tc", "Sở Tài chính"},
	{"xd", "Sở Xây dựng"},
	{"tn", "Sở Tài nguyên và Môi trường"},
	{"gt", "Sở Giao thông vận tải"},
	{"ct", "Sở Công Thương"},
	{"nn", "Sở Nông nghiệp và Phát triển nông thôn"},
	{"ld", "Sở Lao động - Thương binh và Xã hội"},
	{"gd", "Sở Giáo dục và Đào tạo"},
	{"yt", "Sở Y tế"},
	{"vh", "Sở Văn hóa và Thể thao"},
	{"dl", "Sở Du lịch"},
	{"tt", "Sở Thông tin và Truyền thông"},
	{"kc", "Sở Khoa học và Công nghệ"},
	{"nv", "Sở Nội vụ"},
	{"ng", "Sở Ngoại vụ"},
	{"ti", "Thanh tra {unit}"},
	{"kt", "Ban Quản lý Khu kinh tế {short}"},
	{"dt", "Ban Dân tộc"},
	{"da", "Ban Quản lý các dự án đầu tư xây dựng {unit}"},
	{"dd", "Ban Quản lý dự án phát triển đô thị {short}"},
}

// extraDepartment names departments beyond the list.
const extraDepartment = "Ban Quản lý chuyên ngành số %d"

// departmentMergers are the mergers of departments effective 1/3/2025
// (Nghị quyết 18-NQ/TW): from is merged into into, which may take a new
// name.
var departmentMergers = []struct{ from, into, rename string }{
	{"kh", "tc", ""},
	{"gt", "xd", ""},
	{"tn", "nn", "Sở Nông nghiệp và Môi trường"},
	{"tt", "kc", ""},
	{"ld", "nv", ""},
	{"dl", "vh", "Sở Văn hóa, Thể thao và Du lịch"},
}

// districtSpecs are the districts in code order, urban ones (quận) first.
var districtSpecs = []struct{ kind, name string }{
	{"quận", "Hồng Bàng"}, {"quận", "Ngô Quyền"}, {"quận", "Lê Chân"}, {"quận", "Hải An"},
	{"quận", "Kiến An"}, {"quận", "Đồ Sơn"}, {"quận", "Dương Kinh"}, {"huyện", "Thủy Nguyên"},
	{"huyện", "An Dương"}, {"huyện", "An Lão"}, {"huyện", "Kiến Thụy"}, {"huyện", "Tiên Lãng"},
	{"huyện", "Vĩnh Bảo"}, {"huyện", "Cát Hải"}, {"huyện", "Bạch Long Vĩ"},
}

// districtRenames took effect on 1/1/2025 (Nghị quyết 1232/NQ-UBTVQH15):
// the district keeps its code under a new kind.
var districtRenames = []struct{ name, kind string }{
	{"Thủy Nguyên", "thành phố"},
	{"An Dương", "quận"},
}

// Syllables of Vietnamese place names, combined for communes and for
// districts beyond the list.
var (
	placeFirst = []string{
		"An", "Bình", "Cát", "Đông", "Hòa", "Hưng", "Lạc", "Minh", "Nam", "Ngọc",
		"Phú", "Quang", "Tân", "Thạch", "Thái", "Thanh", "Thủy", "Tiên", "Trung", "Vĩnh",
		"Xuân", "Đại", "Hồng", "Kiến", "Quốc", "Tam", "Hải", "Đồng", "Gia", "Hợp",
		"Kỳ", "Long", "Mỹ", "Phúc", "Quảng", "Thượng", "Văn", "Việt", "Yên", "Cao",
	}
	placeSecond = []string{
		"An", "Bình", "Châu", "Dương", "Đức", "Hòa", "Hưng", "Khê", "Lâm", "Lợi",
		"Minh", "Ninh", "Phong", "Phúc", "Sơn", "Tân", "Thành", "Thịnh", "Thọ", "Tiến",
		"Trung", "Vinh", "Xá", "Hải", "Hà", "Lập", "Long", "Nghĩa", "Quang", "Thắng",
		"Thuận", "Tiên", "Tường", "Cường", "Đạo", "Điền", "Hiệp", "Kiều", "Liên", "Mỹ",
	}
)
