from yuanjiang.common.navigation import MenuItem

menu = [MenuItem("医疗援疆", "health:medicalactivity_list", order=60)]
