from yuanjiang.common.navigation import USER, MenuItem

menu = [MenuItem("接口令牌", "api:tokens", order=20, area=USER)]
