from yuanjiang.common.navigation import MenuItem

menu = [MenuItem("援疆项目", "projects:aidproject_list", order=20)]
