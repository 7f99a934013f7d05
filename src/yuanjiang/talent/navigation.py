from yuanjiang.common.navigation import MenuItem

menu = [MenuItem("智力援疆", "talent:aidworker_list", order=40)]
