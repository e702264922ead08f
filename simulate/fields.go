package simulate

import "github.com/baocao/baocao/events"

// fieldSpec describes a field (lĩnh vực) of the catalogue: who owns it, at
// which levels its procedures are carried out, how many procedures and
// dossiers it has, and the typical names, processing times and fees.
type fieldSpec struct {
	name   string
	dept   string            // key of the owning department
	levels []events.GovLevel // levels its procedures are carried out at
	share  float64           // relative number of procedures
	demand float64           // relative number of dossiers per procedure
	days   []float64         // statutory processing times, working days
	feeP   float64           // probability that a procedure has a fee
	fees   []int64           // fees, VND
	orgP   float64           // share of dossiers filed by organisations
	paperP float64           // probability that the result must be on paper
	// desk marks procedures that need originals at the desk: rarely online.
	desk  bool
	names []string // most requested first
}

var (
	prov     = events.GovProvince
	dist     = events.GovDistrict
	comm     = events.GovCommune
	provOnly = []events.GovLevel{prov}
	allLevel = []events.GovLevel{prov, dist, comm}
)

var fieldSpecs = []fieldSpec{
	{name: "Hộ tịch", dept: "tp", levels: []events.GovLevel{comm, dist}, share: 3, demand: 100, days: []float64{0.5, 1, 3, 5}, feeP: 0.2, fees: []int64{8000, 10000, 15000}, orgP: 0, paperP: 0.7,
		names: []string{"Đăng ký khai sinh", "Cấp bản sao trích lục hộ tịch", "Đăng ký kết hôn", "Cấp Giấy xác nhận tình trạng hôn nhân", "Đăng ký khai tử",
			"Đăng ký nhận cha, mẹ, con", "Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch", "Đăng ký lại khai sinh", "Đăng ký giám hộ",
			"Đăng ký khai sinh có yếu tố nước ngoài", "Đăng ký kết hôn có yếu tố nước ngoài", "Ghi vào Sổ hộ tịch việc kết hôn đã được giải quyết tại cơ quan có thẩm quyền của nước ngoài"}},
	{name: "Chứng thực", dept: "tp", levels: []events.GovLevel{comm, dist}, share: 2, demand: 150, days: []float64{0.5, 0.5, 1, 2}, feeP: 1, fees: []int64{2000, 10000, 30000, 50000}, orgP: 0.1, paperP: 0.9, desk: true,
		names: []string{"Chứng thực bản sao từ bản chính giấy tờ, văn bản", "Chứng thực chữ ký trong các giấy tờ, văn bản", "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản",
			"Chứng thực văn bản thỏa thuận phân chia di sản", "Chứng thực di chúc", "Chứng thực hợp đồng, giao dịch liên quan đến thực hiện quyền của người sử dụng đất"}},
	{name: "Lý lịch tư pháp", dept: "tp", levels: provOnly, share: 0.4, demand: 25, days: []float64{10, 15}, feeP: 1, fees: []int64{100000, 200000}, orgP: 0.05, paperP: 0.6,
		names: []string{"Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam", "Cấp Phiếu lý lịch tư pháp cho cơ quan tiến hành tố tụng", "Cấp Phiếu lý lịch tư pháp cho cơ quan nhà nước, tổ chức chính trị, tổ chức chính trị - xã hội"}},
	{name: "Công chứng", dept: "tp", levels: provOnly, share: 1, demand: 1, days: []float64{10, 15, 20}, feeP: 0.8, fees: []int64{500000, 1000000}, orgP: 0.6, paperP: 0.8,
		names: []string{"Đăng ký hành nghề và cấp Thẻ công chứng viên", "Thành lập Văn phòng công chứng", "Đăng ký hoạt động Văn phòng công chứng", "Chuyển đổi Văn phòng công chứng"}},
	{name: "Luật sư", dept: "tp", levels: provOnly, share: 0.6, demand: 1, days: []float64{7, 10}, feeP: 0.8, fees: []int64{100000, 500000}, orgP: 0.6, paperP: 0.5,
		names: []string{"Đăng ký hoạt động của tổ chức hành nghề luật sư", "Thay đổi nội dung đăng ký hoạt động của tổ chức hành nghề luật sư"}},
	{name: "Đất đai", dept: "tn", levels: []events.GovLevel{dist, prov}, share: 3, demand: 22, days: []float64{5, 10, 15, 20, 30}, feeP: 0.9, fees: []int64{25000, 50000, 100000, 500000}, orgP: 0.15, paperP: 0.9,
		names: []string{"Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất", "Đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất", "Xóa đăng ký thế chấp quyền sử dụng đất",
			"Cấp Giấy chứng nhận quyền sử dụng đất lần đầu", "Tách thửa hoặc hợp thửa đất", "Cấp đổi Giấy chứng nhận quyền sử dụng đất", "Chuyển mục đích sử dụng đất phải được phép của cơ quan nhà nước có thẩm quyền",
			"Cấp lại Giấy chứng nhận do bị mất", "Giao đất, cho thuê đất không thông qua hình thức đấu giá", "Đính chính Giấy chứng nhận đã cấp"}},
	{name: "Môi trường", dept: "tn", levels: []events.GovLevel{prov, dist}, share: 1.2, demand: 1, days: []float64{15, 20, 30, 45}, feeP: 0.7, fees: []int64{3000000, 6000000}, orgP: 0.95, paperP: 0.3,
		names: []string{"Cấp giấy phép môi trường", "Thẩm định báo cáo đánh giá tác động môi trường", "Đăng ký môi trường", "Cấp đổi giấy phép môi trường"}},
	{name: "Tài nguyên nước", dept: "tn", levels: provOnly, share: 0.6, demand: 0.5, days: []float64{20, 30}, feeP: 0.8, fees: []int64{400000, 1400000}, orgP: 0.95, paperP: 0.3,
		names: []string{"Cấp giấy phép khai thác, sử dụng nước dưới đất", "Cấp giấy phép xả nước thải vào nguồn nước", "Gia hạn giấy phép khai thác nước mặt"}},
	{name: "Xây dựng", dept: "xd", levels: []events.GovLevel{dist, prov}, share: 2.5, demand: 8, days: []float64{7, 10, 15, 20, 30}, feeP: 0.8, fees: []int64{50000, 75000, 150000, 500000}, orgP: 0.35, paperP: 0.8,
		names: []string{"Cấp giấy phép xây dựng nhà ở riêng lẻ", "Cấp giấy phép xây dựng mới đối với công trình", "Điều chỉnh giấy phép xây dựng", "Gia hạn giấy phép xây dựng",
			"Thẩm định báo cáo nghiên cứu khả thi đầu tư xây dựng", "Cấp chứng chỉ hành nghề hoạt động xây dựng", "Cấp giấy phép di dời công trình", "Kiểm tra công tác nghiệm thu hoàn thành công trình"}},
	{name: "Nhà ở", dept: "xd", levels: []events.GovLevel{prov, dist}, share: 0.8, demand: 2, days: []float64{15, 30}, feeP: 0.3, fees: []int64{100000}, orgP: 0.3, paperP: 0.5,
		names: []string{"Mua, thuê mua nhà ở xã hội", "Thuê nhà ở công vụ", "Công nhận chủ đầu tư dự án nhà ở"}},
	{name: "Đường bộ", dept: "gt", levels: provOnly, share: 1.5, demand: 25, days: []float64{1, 3, 5, 10}, feeP: 1, fees: []int64{135000, 50000, 30000}, orgP: 0.25, paperP: 0.7,
		names: []string{"Cấp đổi giấy phép lái xe do ngành Giao thông vận tải cấp", "Cấp lại giấy phép lái xe", "Cấp giấy phép lái xe quốc tế", "Cấp phù hiệu xe ô tô kinh doanh vận tải",
			"Cấp giấy phép kinh doanh vận tải bằng xe ô tô", "Cấp giấy phép lưu hành xe quá tải trọng", "Chấp thuận thiết kế kỹ thuật nút giao đấu nối vào quốc lộ"}},
	{name: "Đường thủy nội địa", dept: "gt", levels: provOnly, share: 0.8, demand: 1, days: []float64{3, 5, 10}, feeP: 0.8, fees: []int64{50000, 70000}, orgP: 0.6, paperP: 0.6,
		names: []string{"Đăng ký phương tiện thủy nội địa lần đầu", "Cấp giấy phép hoạt động bến thủy nội địa", "Công bố hoạt động cảng thủy nội địa"}},
	{name: "Thành lập và hoạt động doanh nghiệp", dept: "kh", levels: provOnly, share: 2, demand: 20, days: []float64{3}, feeP: 0.6, fees: []int64{50000, 100000}, orgP: 1, paperP: 0.1,
		names: []string{"Đăng ký thay đổi nội dung đăng ký doanh nghiệp", "Đăng ký thành lập công ty trách nhiệm hữu hạn hai thành viên trở lên", "Đăng ký thành lập công ty cổ phần",
			"Thông báo tạm ngừng kinh doanh", "Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên", "Đăng ký hoạt động chi nhánh, văn phòng đại diện", "Giải thể doanh nghiệp",
			"Đăng ký doanh nghiệp tư nhân", "Cấp lại Giấy chứng nhận đăng ký doanh nghiệp"}},
	{name: "Đăng ký kinh doanh", dept: "kh", levels: []events.GovLevel{dist}, share: 0.6, demand: 30, days: []float64{3}, feeP: 0.8, fees: []int64{100000}, orgP: 0.1, paperP: 0.2,
		names: []string{"Đăng ký thành lập hộ kinh doanh", "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh", "Tạm ngừng kinh doanh, tiếp tục kinh doanh trước thời hạn đã thông báo của hộ kinh doanh", "Chấm dứt hoạt động hộ kinh doanh"}},
	{name: "Đầu tư tại Việt Nam", dept: "kh", levels: provOnly, share: 1, demand: 1.5, days: []float64{15, 25, 35}, feeP: 0, orgP: 1, paperP: 0.5,
		names: []string{"Cấp Giấy chứng nhận đăng ký đầu tư", "Điều chỉnh Giấy chứng nhận đăng ký đầu tư", "Chấp thuận chủ trương đầu tư của Ủy ban nhân dân cấp tỉnh", "Chấm dứt hoạt động của dự án đầu tư"}},
	{name: "Lưu thông hàng hóa trong nước", dept: "ct", levels: []events.GovLevel{prov, dist}, share: 1.2, demand: 3, days: []float64{10, 15}, feeP: 0.9, fees: []int64{200000, 400000, 1200000}, orgP: 0.9, paperP: 0.3,
		names: []string{"Cấp Giấy phép bán lẻ sản phẩm rượu", "Cấp Giấy phép bán lẻ sản phẩm thuốc lá", "Cấp Giấy chứng nhận đủ điều kiện cửa hàng bán lẻ LPG chai", "Cấp Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ xăng dầu"}},
	{name: "Xúc tiến thương mại", dept: "ct", levels: provOnly, share: 0.6, demand: 5, days: []float64{5, 7}, feeP: 0, orgP: 1, paperP: 0.1,
		names: []string{"Thông báo thực hiện khuyến mại", "Đăng ký thực hiện khuyến mại theo hình thức mang tính may rủi", "Đăng ký tổ chức hội chợ, triển lãm thương mại"}},
	{name: "Điện", dept: "ct", levels: provOnly, share: 0.5, demand: 0.5, days: []float64{10, 15}, feeP: 0.9, fees: []int64{700000, 1400000}, orgP: 1, paperP: 0.4,
		names: []string{"Cấp giấy phép hoạt động phân phối điện", "Cấp giấy phép hoạt động phát điện"}},
	{name: "Trồng trọt", dept: "nn", levels: []events.GovLevel{prov, dist}, share: 0.8, demand: 1, days: []float64{5, 10, 15}, feeP: 0.5, fees: []int64{200000, 500000}, orgP: 0.8, paperP: 0.3,
		names: []string{"Cấp Giấy chứng nhận đủ điều kiện buôn bán thuốc bảo vệ thực vật", "Cấp Giấy chứng nhận đủ điều kiện buôn bán phân bón", "Chuyển đổi cơ cấu cây trồng trên đất trồng lúa"}},
	{name: "Thú y", dept: "nn", levels: provOnly, share: 0.8, demand: 2, days: []float64{5, 10}, feeP: 0.7, fees: []int64{150000, 250000}, orgP: 0.7, paperP: 0.4,
		names: []string{"Cấp Giấy chứng nhận kiểm dịch động vật, sản phẩm động vật vận chuyển ra khỏi địa bàn cấp tỉnh", "Cấp Chứng chỉ hành nghề thú y", "Cấp Giấy chứng nhận cơ sở an toàn dịch bệnh động vật"}},
	{name: "Thủy sản", dept: "nn", levels: []events.GovLevel{prov, dist}, share: 0.8, demand: 3, days: []float64{3, 5, 10}, feeP: 0.6, fees: []int64{40000, 100000}, orgP: 0.3, paperP: 0.5,
		names: []string{"Cấp văn bản chấp thuận đóng mới, cải hoán tàu cá", "Đăng ký tàu cá", "Cấp giấy phép khai thác thủy sản", "Xác nhận nguyên liệu thủy sản khai thác"}},
	{name: "Thủy lợi", dept: "nn", levels: []events.GovLevel{prov, dist, comm}, share: 0.6, demand: 0.5, days: []float64{10, 15}, feeP: 0.1, fees: []int64{100000}, orgP: 0.8, paperP: 0.4,
		names: []string{"Cấp giấy phép cho các hoạt động trong phạm vi bảo vệ công trình thủy lợi", "Phê duyệt phương án bảo vệ công trình thủy lợi"}},
	{name: "Người có công", dept: "ld", levels: allLevel, share: 1.5, demand: 6, days: []float64{5, 10, 12, 20}, feeP: 0, orgP: 0, paperP: 0.7,
		names: []string{"Giải quyết chế độ trợ cấp thờ cúng liệt sĩ", "Hưởng mai táng phí, trợ cấp một lần khi người có công với cách mạng từ trần", "Xác nhận thông tin về liệt sĩ, thân nhân liệt sĩ",
			"Cấp giấy xác nhận thân nhân của người có công", "Di chuyển hồ sơ khi người hưởng trợ cấp ưu đãi thay đổi nơi thường trú"}},
	{name: "Bảo trợ xã hội", dept: "ld", levels: []events.GovLevel{comm, dist}, share: 1, demand: 15, days: []float64{7, 10, 20}, feeP: 0, orgP: 0, paperP: 0.6,
		names: []string{"Trợ giúp xã hội thường xuyên tại cộng đồng", "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội", "Xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật",
			"Trợ giúp xã hội khẩn cấp về hỗ trợ làm nhà ở", "Đăng ký hoạt động đối với cơ sở trợ giúp xã hội"}},
	{name: "Lao động", dept: "ld", levels: []events.GovLevel{prov, dist}, share: 1.2, demand: 4, days: []float64{3, 5, 10}, feeP: 0.4, fees: []int64{400000, 600000}, orgP: 0.9, paperP: 0.5,
		names: []string{"Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam", "Cấp lại giấy phép lao động cho người lao động nước ngoài", "Gửi thỏa ước lao động tập thể",
			"Đăng ký nội quy lao động của doanh nghiệp", "Xác nhận người lao động nước ngoài không thuộc diện cấp giấy phép lao động"}},
	{name: "Việc làm", dept: "ld", levels: provOnly, share: 0.6, demand: 8, days: []float64{5, 20}, feeP: 0, orgP: 0.05, paperP: 0.5,
		names: []string{"Giải quyết hưởng trợ cấp thất nghiệp", "Tạm dừng hưởng trợ cấp thất nghiệp", "Hỗ trợ học nghề", "Cấp giấy phép hoạt động dịch vụ việc làm"}},
	{name: "Giáo dục và Đào tạo", dept: "gd", levels: []events.GovLevel{prov, dist}, share: 2, demand: 3, days: []float64{3, 5, 10, 20}, feeP: 0.1, fees: []int64{50000}, orgP: 0.4, paperP: 0.6,
		names: []string{"Cấp bản sao văn bằng, chứng chỉ từ sổ gốc", "Chuyển trường đối với học sinh trung học cơ sở", "Chuyển trường đối với học sinh trung học phổ thông", "Chỉnh sửa nội dung văn bằng, chứng chỉ",
			"Thành lập trường mầm non tư thục", "Công nhận trường tiểu học đạt chuẩn quốc gia", "Cho phép trung tâm ngoại ngữ, tin học hoạt động giáo dục", "Xét, duyệt chính sách hỗ trợ đối với học sinh bán trú"}},
	{name: "Khám bệnh, chữa bệnh", dept: "yt", levels: provOnly, share: 1.2, demand: 2, days: []float64{10, 20, 30}, feeP: 0.9, fees: []int64{360000, 1500000, 4300000}, orgP: 0.6, paperP: 0.6,
		names: []string{"Cấp giấy phép hành nghề khám bệnh, chữa bệnh", "Cấp giấy phép hoạt động đối với phòng khám chuyên khoa", "Cấp lại giấy phép hành nghề", "Điều chỉnh giấy phép hoạt động khám bệnh, chữa bệnh"}},
	{name: "Dược phẩm", dept: "yt", levels: provOnly, share: 1, demand: 2, days: []float64{20, 30}, feeP: 0.9, fees: []int64{500000, 1000000}, orgP: 0.7, paperP: 0.5,
		names: []string{"Cấp Chứng chỉ hành nghề dược", "Cấp Giấy chứng nhận đủ điều kiện kinh doanh dược", "Cho phép hủy thuốc gây nghiện, thuốc hướng tâm thần"}},
	{name: "An toàn thực phẩm", dept: "yt", levels: []events.GovLevel{prov, dist}, share: 0.6, demand: 3, days: []float64{7, 15}, feeP: 0.9, fees: []int64{500000, 1000000}, orgP: 0.7, paperP: 0.4,
		names: []string{"Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", "Đăng ký bản công bố sản phẩm", "Cấp giấy xác nhận nội dung quảng cáo thực phẩm"}},
	{name: "Văn hóa", dept: "vh", levels: []events.GovLevel{prov, dist}, share: 1, demand: 1, days: []float64{5, 7, 10}, feeP: 0.6, fees: []int64{2000000, 4000000}, orgP: 0.8, paperP: 0.3,
		names: []string{"Cấp giấy phép đủ điều kiện kinh doanh dịch vụ karaoke", "Cấp giấy phép tổ chức biểu diễn nghệ thuật", "Thông báo tổ chức lễ hội", "Cấp giấy phép triển lãm mỹ thuật"}},
	{name: "Thể dục thể thao", dept: "vh", levels: provOnly, share: 0.6, demand: 0.5, days: []float64{7, 10}, feeP: 0.3, fees: []int64{500000}, orgP: 0.9, paperP: 0.3,
		names: []string{"Cấp Giấy chứng nhận đủ điều kiện kinh doanh hoạt động thể thao", "Đăng cai tổ chức giải thi đấu vô địch từng môn thể thao"}},
	{name: "Gia đình", dept: "vh", levels: []events.GovLevel{dist, comm}, share: 0.3, demand: 0.5, days: []float64{10, 15}, feeP: 0, orgP: 0.1, paperP: 0.3,
		names: []string{"Đăng ký hoạt động cơ sở hỗ trợ nạn nhân bạo lực gia đình", "Công nhận danh hiệu gia đình văn hóa"}},
	{name: "Du lịch", dept: "dl", levels: provOnly, share: 0.7, demand: 1, days: []float64{5, 10, 15}, feeP: 0.9, fees: []int64{650000, 3000000}, orgP: 0.7, paperP: 0.4,
		names: []string{"Cấp thẻ hướng dẫn viên du lịch nội địa", "Cấp giấy phép kinh doanh dịch vụ lữ hành nội địa", "Công nhận hạng cơ sở lưu trú du lịch", "Cấp đổi thẻ hướng dẫn viên du lịch"}},
	{name: "Báo chí", dept: "tt", levels: provOnly, share: 0.5, demand: 0.5, days: []float64{10, 15}, feeP: 0, orgP: 1, paperP: 0.3,
		names: []string{"Cho phép họp báo", "Cấp giấy phép xuất bản bản tin", "Cấp giấy phép hoạt động trang thông tin điện tử tổng hợp"}},
	{name: "Xuất bản, In và Phát hành", dept: "tt", levels: provOnly, share: 0.5, demand: 0.5, days: []float64{7, 10}, feeP: 0.2, fees: []int64{100000}, orgP: 0.9, paperP: 0.2,
		names: []string{"Cấp giấy phép xuất bản tài liệu không kinh doanh", "Đăng ký hoạt động cơ sở in", "Cấp giấy phép nhập khẩu xuất bản phẩm không kinh doanh"}},
	{name: "Bưu chính", dept: "tt", levels: provOnly, share: 0.3, demand: 0.3, days: []float64{10}, feeP: 0.8, fees: []int64{1000000}, orgP: 1, paperP: 0.3,
		names: []string{"Cấp giấy phép bưu chính", "Xác nhận thông báo hoạt động bưu chính"}},
	{name: "Hoạt động khoa học và công nghệ", dept: "kc", levels: provOnly, share: 0.8, demand: 0.5, days: []float64{10, 15, 30}, feeP: 0.3, fees: []int64{500000}, orgP: 0.9, paperP: 0.3,
		names: []string{"Đăng ký hoạt động khoa học và công nghệ", "Cấp Giấy chứng nhận doanh nghiệp khoa học và công nghệ", "Đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ"}},
	{name: "Tiêu chuẩn đo lường chất lượng", dept: "kc", levels: provOnly, share: 0.6, demand: 1, days: []float64{5, 7}, feeP: 0.5, fees: []int64{150000}, orgP: 1, paperP: 0.2,
		names: []string{"Kiểm tra nhà nước về chất lượng hàng hóa nhập khẩu", "Đăng ký công bố hợp chuẩn", "Đăng ký công bố hợp quy"}},
	{name: "Thi đua - Khen thưởng", dept: "nv", levels: allLevel, share: 1.5, demand: 2, days: []float64{10, 20, 30}, feeP: 0, orgP: 0.5, paperP: 0.9,
		names: []string{"Tặng Bằng khen của Chủ tịch Ủy ban nhân dân cấp tỉnh", "Tặng danh hiệu Lao động tiên tiến", "Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã", "Tặng danh hiệu Chiến sĩ thi đua cơ sở",
			"Khen thưởng đột xuất", "Tặng Cờ thi đua của Ủy ban nhân dân cấp tỉnh"}},
	{name: "Tôn giáo", dept: "nv", levels: allLevel, share: 0.8, demand: 0.5, days: []float64{15, 20, 30}, feeP: 0, orgP: 0.9, paperP: 0.6,
		names: []string{"Đăng ký sinh hoạt tôn giáo tập trung", "Thông báo tổ chức hội nghị thường niên của tổ chức tôn giáo", "Đề nghị tổ chức cuộc lễ ngoài cơ sở tôn giáo"}},
	{name: "Công chức, viên chức", dept: "nv", levels: []events.GovLevel{prov, dist}, share: 0.6, demand: 0.3, days: []float64{15, 30}, feeP: 0.3, fees: []int64{260000}, orgP: 0.2, paperP: 0.8,
		names: []string{"Thi tuyển công chức", "Xét tuyển viên chức", "Thăng hạng chức danh nghề nghiệp viên chức"}},
	{name: "Quản lý công sản", dept: "tc", levels: []events.GovLevel{prov, dist}, share: 0.8, demand: 0.5, days: []float64{15, 30}, feeP: 0, orgP: 1, paperP: 0.6,
		names: []string{"Quyết định mua sắm tài sản công", "Quyết định thanh lý tài sản công", "Quyết định điều chuyển tài sản công"}},
	{name: "Tin học - Thống kê", dept: "tc", levels: provOnly, share: 0.4, demand: 2, days: []float64{1, 2}, feeP: 0, orgP: 1, paperP: 0.1,
		names: []string{"Đăng ký mã số đơn vị có quan hệ với ngân sách", "Cấp mã số đơn vị có quan hệ với ngân sách cho dự án đầu tư"}},
	{name: "Công tác lãnh sự", dept: "ng", levels: provOnly, share: 0.3, demand: 0.5, days: []float64{5, 10}, feeP: 0, orgP: 0.8, paperP: 0.3,
		names: []string{"Cho phép sử dụng thẻ đi lại của doanh nhân APEC", "Tổ chức hội nghị, hội thảo quốc tế"}},
	{name: "Tiếp công dân", dept: "ti", levels: allLevel, share: 0.5, demand: 0.8, days: []float64{10, 15}, feeP: 0, orgP: 0.05, paperP: 0.8, desk: true,
		names: []string{"Tiếp công dân", "Xử lý đơn"}},
	{name: "Giải quyết khiếu nại", dept: "ti", levels: allLevel, share: 0.6, demand: 0.8, days: []float64{30, 45}, feeP: 0, orgP: 0.1, paperP: 0.9, desk: true,
		names: []string{"Giải quyết khiếu nại lần đầu", "Giải quyết khiếu nại lần hai"}},
	{name: "Giải quyết tố cáo", dept: "ti", levels: allLevel, share: 0.3, demand: 0.3, days: []float64{30, 45}, feeP: 0, orgP: 0.05, paperP: 0.9, desk: true,
		names: []string{"Giải quyết tố cáo"}},
	{name: "Quản lý khu kinh tế", dept: "kt", levels: provOnly, share: 1, demand: 2, days: []float64{5, 10, 15}, feeP: 0.3, fees: []int64{400000}, orgP: 1, paperP: 0.4,
		names: []string{"Cấp Giấy chứng nhận đăng ký đầu tư trong khu kinh tế", "Cấp giấy phép lao động cho người nước ngoài làm việc trong khu công nghiệp", "Cấp giấy phép xây dựng trong khu kinh tế",
			"Xác nhận hợp đồng thuê lại đất trong khu công nghiệp"}},
}

// Internal procedures (TTHC nội bộ) are carried out between state bodies:
// the catalogue lists them, citizens file no dossiers for them.
var internalNames = []struct{ field, dept, name string }{
	{"Tổ chức - Biên chế", "nv", "Thủ tục thẩm định đề án vị trí việc làm"},
	{"Tổ chức - Biên chế", "nv", "Thủ tục giao biên chế công chức cho các cơ quan, tổ chức hành chính"},
	{"Tổ chức - Biên chế", "nv", "Thủ tục thành lập, tổ chức lại, giải thể đơn vị sự nghiệp công lập"},
	{"Công chức, viên chức", "nv", "Thủ tục bổ nhiệm, bổ nhiệm lại công chức lãnh đạo, quản lý"},
	{"Công chức, viên chức", "nv", "Thủ tục điều động, luân chuyển công chức"},
	{"Kiểm soát thủ tục hành chính", "vp", "Thủ tục công bố danh mục thủ tục hành chính"},
	{"Kiểm soát thủ tục hành chính", "vp", "Thủ tục phê duyệt phương án đơn giản hóa thủ tục hành chính"},
	{"Kiểm soát thủ tục hành chính", "vp", "Thủ tục phê duyệt quy trình nội bộ giải quyết thủ tục hành chính"},
	{"Xây dựng văn bản quy phạm pháp luật", "tp", "Thủ tục thẩm định dự thảo văn bản quy phạm pháp luật"},
	{"Xây dựng văn bản quy phạm pháp luật", "tp", "Thủ tục lập đề nghị xây dựng nghị quyết của Hội đồng nhân dân"},
	{"Quản lý ngân sách", "tc", "Thủ tục thẩm định dự toán ngân sách"},
	{"Quản lý ngân sách", "tc", "Thủ tục phân bổ, giao dự toán ngân sách"},
	{"Quản lý công sản", "tc", "Thủ tục giao tài sản công cho cơ quan nhà nước"},
	{"Đầu tư công", "kh", "Thủ tục thẩm định chủ trương đầu tư dự án đầu tư công"},
	{"Đầu tư công", "kh", "Thủ tục giao kế hoạch đầu tư công trung hạn"},
	{"Thi đua - Khen thưởng", "nv", "Thủ tục xét tặng danh hiệu Tập thể lao động xuất sắc"},
	{"Văn thư - Lưu trữ", "nv", "Thủ tục giao nộp hồ sơ, tài liệu vào lưu trữ lịch sử"},
	{"Thanh tra", "ti", "Thủ tục xây dựng, phê duyệt kế hoạch thanh tra"},
	{"Chuyển đổi số", "tt", "Thủ tục thẩm định hồ sơ đề xuất cấp độ an toàn hệ thống thông tin"},
}

// variants make further procedure names of a field once its list is used
// up, as real catalogues do (the same procedure for another case or level).
var variants = []string{
	" (cấp lại)", " (điều chỉnh)", " có yếu tố nước ngoài", " (gia hạn)", " đối với tổ chức", " đối với cá nhân",
	" trong trường hợp bị mất, hư hỏng", " (cấp đổi)", " trên môi trường điện tử", " liên thông",
}
