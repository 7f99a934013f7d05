from yuanjiang.common.navigation import MenuItem

menu = [MenuItem("报送数", "metrics:manualvalue_list", order=80)]
