-- The targets of the rates (Kế hoạch KSTTHC, QĐ 302/QĐ-UBND 2024) and how
-- QĐ 766/QĐ-TTg scores them: an indicator earns
-- least(max_points, ratio / target × max_points) points in its group
-- (transparency 18, progress 20, online service 12, online payment 10,
-- satisfaction 18, digitisation 22 = 100). full_online is a catalogue rate
-- (catalogue_summary), not scored per agency. Change a target by editing
-- this file: migrate replaces the view.
CREATE VIEW IF NOT EXISTS {db}.indicator_targets AS
SELECT
    tupleElement(t, 1) AS indicator,
    tupleElement(t, 2) AS indicator_label,
    tupleElement(t, 3) AS target_percent,
    tupleElement(t, 4) AS score_group,
    tupleElement(t, 5) AS max_points
FROM
(
    SELECT arrayJoin([
        ('synced',            'Tỷ lệ hồ sơ đồng bộ lên Cổng Dịch vụ công quốc gia',               100., 'transparency',   18.),
        ('on_time',           'Tỷ lệ hồ sơ giải quyết trước và đúng hạn',                          90.,  'progress',       20.),
        ('online',            'Tỷ lệ hồ sơ trực tuyến',                                            50.,  'online_service', 12.),
        ('online_payment',    'Tỷ lệ thanh toán trực tuyến',                                       45.,  'online_payment', 10.),
        ('satisfaction',      'Mức độ hài lòng của người dân, doanh nghiệp',                       90.,  'satisfaction',   18.),
        ('digitised',         'Tỷ lệ số hóa hồ sơ',                                                80.,  'digitisation',   8.),
        ('electronic_result', 'Tỷ lệ cấp kết quả giải quyết TTHC điện tử',                         100., 'digitisation',   7.),
        ('reuse',             'Tỷ lệ khai thác, sử dụng lại dữ liệu số hóa',                       50.,  'digitisation',   7.),
        ('full_online',       'Tỷ lệ dịch vụ công trực tuyến toàn trình trên số TTHC đủ điều kiện', 80.,  'catalogue',      0.)
    ]) AS t
)
