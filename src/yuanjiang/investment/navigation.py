from yuanjiang.common.navigation import MenuItem

menu = [MenuItem("产业援疆", "investment:investmentproject_list", order=30)]
