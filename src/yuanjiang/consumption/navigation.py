from yuanjiang.common.navigation import MenuItem

menu = [MenuItem("消费援疆", "consumption:purchase_list", order=75)]
