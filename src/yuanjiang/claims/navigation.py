from yuanjiang.common.navigation import MenuItem

menu = [MenuItem("数字核对", "claims:claimcheck_list", order=100)]
