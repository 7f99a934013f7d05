from yuanjiang.common.navigation import MenuItem

menu = [MenuItem("教育", "education:school_list", order=50)]
