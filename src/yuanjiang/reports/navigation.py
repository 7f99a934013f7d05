from yuanjiang.common.navigation import MenuItem

menu = [MenuItem("目标任务", "reports:target_list", order=90)]
