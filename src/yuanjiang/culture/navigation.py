from yuanjiang.common.navigation import MenuItem

menu = [MenuItem("文旅", "culture:cultureevent_list", order=70)]
